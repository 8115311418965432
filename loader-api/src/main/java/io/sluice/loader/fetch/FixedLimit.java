package io.sluice.loader.fetch;

/** {@link ConcurrencyLimit#fixed}. */
final class FixedLimit implements ConcurrencyLimit {
  private final int limit;

  FixedLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("concurrency limit must be positive, was " + limit);
    }
    this.limit = limit;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public void onSample(long latencyNanos, int inFlight, boolean throttled) {}

  @Override
  public String toString() {
    return "fixed(" + limit + ")";
  }
}
