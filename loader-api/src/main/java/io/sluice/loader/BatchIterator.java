package io.sluice.loader;

import java.util.Iterator;

/**
 * The batches of one epoch, in their deterministic order, fetched ahead in the background.
 *
 * <p>{@link #next()} blocks until the next batch is complete and throws a {@link SluiceException} naming the
 * key if any of its samples could not be loaded. Close the iterator to cancel the fetches it has started.
 */
public interface BatchIterator extends Iterator<Batch>, AutoCloseable {

  /** The epoch this iterator reads. */
  int epoch();

  /** The number of batches this epoch yields in all. */
  int batches();

  /**
   * Where this iterator is, to resume from exactly: taken between two batches, it covers the batches handed
   * out so far.
   *
   * @throws IllegalStateException for an unordered loader, whose batches depend on timing
   */
  LoaderState state();

  /** What this epoch has done so far. */
  LoaderStats stats();

  /** Cancels the fetches in flight; the iterator yields nothing more. Idempotent. */
  @Override
  void close();
}
