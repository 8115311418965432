package io.sluice.loader.fetch;

/**
 * {@link ConcurrencyLimit#adaptive}: additive increase while the limit is used and latency holds,
 * multiplicative decrease on throttling.
 *
 * <p>Latency "holds" while the window's mean stays under twice the lowest window mean seen recently (the
 * floor decays upwards slowly, so a permanently slower store resets it). A window is {@code limit} samples,
 * about one round trip of the whole in-flight set.
 */
final class AimdLimit implements ConcurrencyLimit {
  static final double BACKOFF = 0.7;
  static final double TOLERANCE = 2.0;

  private final int min;
  private final int max;
  private volatile int limit;
  // Guarded by this.
  private int windowSamples;
  private long windowLatency;
  private boolean windowBusy = true;
  private boolean windowThrottled;
  private double floorNanos = Double.MAX_VALUE;

  AimdLimit(int min, int initial, int max) {
    if (min < 1 || initial < min || max < initial) {
      throw new IllegalArgumentException("adaptive limit needs 1 <= min <= initial <= max, was min=" + min
          + ", initial=" + initial + ", max=" + max);
    }
    this.min = min;
    this.max = max;
    this.limit = initial;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public synchronized void onSample(long latencyNanos, int inFlight, boolean throttled) {
    if (throttled) {
      if (!windowThrottled) {
        windowThrottled = true;
        limit = Math.max(min, (int) (limit * BACKOFF));
      }
    } else {
      windowLatency += latencyNanos;
      // Only a limit that was nearly used says anything about whether more would help.
      windowBusy &= inFlight >= limit * 0.8;
    }
    if (++windowSamples < limit) {
      return;
    }
    int successes = windowSamples - (windowThrottled ? 1 : 0);
    double mean = successes > 0 ? (double) windowLatency / successes : Double.MAX_VALUE;
    floorNanos = Math.min(floorNanos * 1.05, mean);
    if (!windowThrottled && windowBusy && mean <= floorNanos * TOLERANCE && limit < max) {
      limit++;
    }
    windowSamples = 0;
    windowLatency = 0;
    windowBusy = true;
    windowThrottled = false;
  }

  @Override
  public String toString() {
    return "adaptive(" + min + ".." + max + ", now " + limit + ")";
  }
}
