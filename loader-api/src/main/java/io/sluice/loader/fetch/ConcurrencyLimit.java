package io.sluice.loader.fetch;

/**
 * How many GETs may be in flight at once: the algorithm, kept apart from the loader that enforces it.
 *
 * <p>The loader asks {@link #limit()} before it starts a request and reports every finished request through
 * {@link #onSample}. Implementations must be thread-safe.
 */
public interface ConcurrencyLimit {

  /** The number of requests that may be in flight now; always at least 1. */
  int limit();

  /**
   * Reports one finished request.
   *
   * @param latencyNanos how long it took
   * @param inFlight how many requests were in flight when it started, itself included
   * @param throttled whether the store answered "slow down" (503 SlowDown, 429) or timed out
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
