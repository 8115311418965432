package io.sluice.loader;

import io.sluice.loader.internal.EpochRun;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;

/**
 * DL4J's multi-input, multi-output view of a loader, for a {@code ComputationGraph}: epochs advance on
 * {@code reset()} exactly as in {@link LoaderDataSetIterator}.
 */
final class LoaderMultiDataSetIterator implements ResumableMultiDataSetIterator {
  private static final long serialVersionUID = 1L;

  private final transient StreamingLoader loader;
  private transient EpochRun current;
  private int epoch;
  private boolean started;
  private MultiDataSetPreProcessor preProcessor;

  LoaderMultiDataSetIterator(StreamingLoader loader, int firstEpoch) {
    this.loader = loader;
    this.epoch = firstEpoch;
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public LoaderState state() {
    return current().state();
  }

  private EpochRun current() {
    if (current == null) {
      current = loader.openEpoch(epoch);
    }
    return current;
  }

  @Override
  public boolean hasNext() {
    return current().hasNext();
  }

  @Override
  public MultiDataSet next() {
    MultiDataSet data = current().next().toMultiDataSet();
    started = true;
    if (preProcessor != null) {
      preProcessor.preProcess(data);
    }
    return data;
  }

  @Override
  public MultiDataSet next(int num) {
    if (num != loader.batchSize()) {
      throw new UnsupportedOperationException("this iterator's batches hold " + loader.batchSize()
          + " samples (set by DataLoader.Builder.batchSize); next(" + num + ") cannot resize them");
    }
    return next();
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  @Override
  public boolean asyncSupported() {
    return false;
  }

  @Override
  public void reset() {
    if (!started) {
      return;
    }
    if (current != null) {
      current.close();
    }
    epoch++;
    started = false;
    current = loader.openEpoch(epoch);
  }

  @Override
  public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public MultiDataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  @Override
  public String toString() {
    return "LoaderMultiDataSetIterator{epoch=" + epoch + ", " + loader + "}";
  }
}
