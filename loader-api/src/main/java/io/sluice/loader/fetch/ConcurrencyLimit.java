package io.sluice.loader.fetch;

/**
 * How many objects may be fetched at once: the algorithm, kept apart from the loader that enforces it.
 *
 * <p>The loader counts objects: one permit per object from admission until its bytes arrive, however many
 * requests that takes (retries, hedges, ranged parts). It asks {@link #limit()} before it admits an object and
 * reports every object whose fetch ended through
 * {@link #onSample}. Implementations must be thread-safe.
 */
public interface ConcurrencyLimit {

  /** The number of objects that may be fetched at once now; always at least 1. */
  int limit();

  /**
   * Reports one object whose fetch ended.
   *
   * @param latencyNanos how long it took, from admission to its bytes (or its failure)
   * @param inFlight how many objects were being fetched when it was admitted, itself included
   * @param throttled whether the store answered "slow down" (503 SlowDown, 429) or timed out to any of its requests
   */
  void onSample(long latencyNanos, int inFlight, boolean throttled);

  /**
   * Always {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  static ConcurrencyLimit fixed(int limit) {
    return new FixedLimit(limit);
  }

  /**
   * Additive increase, multiplicative decrease: starts at {@code initial}; adds one after a window of
   * {@code limit} requests that kept the limit busy while latency stayed within twice its observed floor;
   * multiplies by 0.7 on a throttled request (at most once per window). Never leaves {@code [min, max]}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= min <= initial <= max}
   */
  static ConcurrencyLimit adaptive(int min, int initial, int max) {
    return new AimdLimit(min, initial, max);
  }
}
