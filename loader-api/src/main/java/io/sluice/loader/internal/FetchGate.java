package io.sluice.loader.internal;

import io.sluice.loader.fetch.ConcurrencyLimit;

/**
 * Enforces the loader-wide bounds on fetches: no more in flight than the {@link ConcurrencyLimit} allows, and
 * no more object bytes held (expected or fetched, not yet transformed) than the budget. A fetch is always
 * allowed when nothing is held, so an object larger than the budget still makes progress, alone.
 */
final class FetchGate {
  private final ConcurrencyLimit limit;
  private final long maxBytes;
  private int fetches;
  private long bytes;

  FetchGate(ConcurrencyLimit limit, long maxBytes) {
    this.limit = limit;
    this.maxBytes = maxBytes;
  }

  synchronized boolean tryAcquire(long expectedBytes) {
    if (fetches >= limit.limit()) {
      return false;
    }
    if (bytes > 0 && bytes + expectedBytes > maxBytes) {
      return false;
    }
    fetches++;
    bytes += expectedBytes;
    return true;
  }

  synchronized void fetchDone() {
    fetches--;
  }

  synchronized void adjustBytes(long delta) {
    bytes += delta;
  }

  synchronized int fetches() {
    return fetches;
  }

  synchronized long bytes() {
    return bytes;
  }

  int limit() {
    return limit.limit();
  }
}
