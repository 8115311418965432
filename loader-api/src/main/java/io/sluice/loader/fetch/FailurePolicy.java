package io.sluice.loader.fetch;

/**
 * What the loader does with a sample it cannot load, after every retry: fail the epoch, or skip the sample,
 * record it, and go on within an error budget.
 *
 * @param skip whether failed samples are skipped (true) or fail the epoch (false)
 * @param maxSkipped with {@code skip}, the epoch fails once more than this many samples were skipped
 * @param maxSkippedFraction with {@code skip}, the epoch fails once more than this share of its samples
 *     were skipped
 */
public record FailurePolicy(boolean skip, long maxSkipped, double maxSkippedFraction) {

  /** Validates the budget. */
  public FailurePolicy {
    if (maxSkipped < 0) {
      throw new IllegalArgumentException("max skipped must not be negative, was " + maxSkipped);
    }
    if (!(maxSkippedFraction >= 0 && maxSkippedFraction <= 1)) {
      throw new IllegalArgumentException("max skipped fraction must be in [0, 1], was " + maxSkippedFraction);
    }
  }

  /** The first sample that cannot be loaded fails the epoch with an error naming its key. The default. */
  public static FailurePolicy fail() {
    return new FailurePolicy(false, 0, 0);
  }

  /**
   * Skip samples that cannot be loaded, record each (see {@code DataLoader.skipped()}), and fail the epoch
   * once more than {@code maxSkipped} or more than {@code maxSkippedFraction} of its samples are skipped.
   */
  public static FailurePolicy skip(long maxSkipped, double maxSkippedFraction) {
    return new FailurePolicy(true, maxSkipped, maxSkippedFraction);
  }

  /** Whether skipping one more sample, making {@code skipped} in an epoch of {@code size}, is over budget. */
  public boolean overBudget(long skipped, long size) {
    return skipped > maxSkipped || skipped > maxSkippedFraction * size;
  }
}
