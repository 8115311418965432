package io.sluice.loader;

/**
 * What to do when the samples do not divide evenly among the ranks, so that every rank still reads the same
 * number of samples (and batches): ranks that read different batch counts hang collective training.
 */
public enum Remainder {
  /**
   * Ranks short of a sample read one more, a deterministic repeat of an early sample of the epoch. Repeats
   * are marked in the batch ({@link Batch#padded()}, and as a zero in the DataSet's labels mask) so that
   * evaluation and the loss can ignore them. Nothing is lost.
   */
  PAD,
  /** The last {@code size % ranks} samples of the epoch's order are left out. Nothing is repeated. */
  DROP
}
