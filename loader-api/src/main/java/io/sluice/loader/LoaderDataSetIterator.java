package io.sluice.loader;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * DL4J's view of a loader: a {@code DataSetIterator} over successive epochs.
 *
 * <p>{@code reset()} moves to the next epoch if the current one has handed out anything; the untouched
 * current epoch is already a fresh pass. {@code asyncSupported()} is false because the loader prefetches
 * itself; wrapping it in DL4J's {@code AsyncDataSetIterator} would only add a copy.
 */
final class LoaderDataSetIterator implements ResumableDataSetIterator {
  private static final long serialVersionUID = 1L;

  private final transient StreamingLoader loader;
  private final transient EpochCursor cursor;
  private DataSetPreProcessor preProcessor;

  LoaderDataSetIterator(StreamingLoader loader, int firstEpoch) {
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
  public DataSet next() {
    DataSet data = cursor.next().toDataSet();
    if (preProcessor != null) {
      preProcessor.preProcess(data);
    }
    return data;
  }

  @Override
  public DataSet next(int num) {
    cursor.checkBatchSize(num);
    return next();
  }

  @Override
  public int inputColumns() {
    long[] shape = loader.knownSampleShape();
    if (shape == null) {
      cursor.current().awaitFirstSample();
      shape = loader.knownSampleShape();
    }
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  @Override
  public int totalOutcomes() {
    return loader.manifest().labels().size();
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
  public int batch() {
    return loader.batchSize();
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  @Override
  public List<String> getLabels() {
    return loader.manifest().labels().names();
  }

  @Override
  public String toString() {
    return "LoaderDataSetIterator{epoch=" + cursor.epoch() + ", " + loader + "}";
  }
}
