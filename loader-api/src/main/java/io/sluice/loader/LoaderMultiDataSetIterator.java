package io.sluice.loader;

import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;

/**
 * DL4J's multi-input, multi-output view of a loader, for a {@code ComputationGraph}: epochs advance on
 * {@code reset()} exactly as in {@link LoaderDataSetIterator}.
 */
final class LoaderMultiDataSetIterator implements ResumableMultiDataSetIterator {
  private static final long serialVersionUID = 1L;

  private final transient StreamingLoader loader;
  private final transient EpochCursor cursor;
  private MultiDataSetPreProcessor preProcessor;

  LoaderMultiDataSetIterator(StreamingLoader loader, int firstEpoch) {
    this.loader = loader;
    this.cursor = new EpochCursor(loader, firstEpoch);
  }

  @Override
  public int epoch() {
    return cursor.epoch();
  }

  @Override
  public LoaderState state() {
    return cursor.current().state();
  }

  @Override
  public boolean hasNext() {
    return cursor.current().hasNext();
  }

  @Override
  public MultiDataSet next() {
    MultiDataSet data = cursor.next().toMultiDataSet();
    if (preProcessor != null) {
      preProcessor.preProcess(data);
    }
    return data;
  }

  @Override
  public MultiDataSet next(int num) {
    cursor.checkBatchSize(num);
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
    cursor.reset();
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
    return "LoaderMultiDataSetIterator{epoch=" + cursor.epoch() + ", " + loader + "}";
  }
}
