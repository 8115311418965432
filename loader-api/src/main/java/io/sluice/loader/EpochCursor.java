package io.sluice.loader;

import io.sluice.loader.internal.EpochRun;

/**
 * Where a DL4J iterator over a loader is: the epoch it reads, opened on first use; {@link #reset()} moves to the next
 * epoch once the current one has handed out a batch (the untouched current epoch is already a fresh pass).
 */
final class EpochCursor {
  private final StreamingLoader loader;
  private EpochRun current;
  private int epoch;
  private boolean started;

  EpochCursor(StreamingLoader loader, int firstEpoch) {
    this.loader = loader;
    this.epoch = firstEpoch;
  }

  int epoch() {
    return epoch;
  }

  /** The current epoch, opened if it is not yet. */
  EpochRun current() {
    if (current == null) {
      current = loader.openEpoch(epoch, true);
    }
    return current;
  }

  /** The next batch of the current epoch. */
  Batch next() {
    Batch batch = current().next();
    started = true;
    return batch;
  }

  /**
   * What DL4J's {@code next(num)} may ask: the loader's own batch size only.
   *
   * @throws UnsupportedOperationException for any other size
   */
  void checkBatchSize(int num) {
    if (num != loader.batchSize()) {
      throw new UnsupportedOperationException("this iterator's batches hold " + loader.batchSize()
          + " samples (set by DataLoader.Builder.batchSize); next(" + num + ") cannot resize them");
    }
  }

  void reset() {
    if (!started) {
      return;
    }
    if (current != null) {
      current.close();
    }
    epoch++;
    started = false;
    current = loader.openEpoch(epoch, true);
  }
}
