package io.sluice.loader.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {
  private static final long MS = 1_000_000;

  /** Feeds one window (limit samples) at the given latency, with the limit fully used. */
  private static void window(ConcurrencyLimit limit, long latency) {
    int n = limit.limit();
    for (int i = 0; i < n; i++) {
      limit.onSample(latency, limit.limit(), false);
    }
  }

  @Test
  void fixedNeverMoves() {
    ConcurrencyLimit fixed = ConcurrencyLimit.fixed(7);
    fixed.onSample(MS, 7, true);
    fixed.onSample(MS, 7, false);
    assertEquals(7, fixed.limit());
    assertThrows(IllegalArgumentException.class, () -> ConcurrencyLimit.fixed(0));
  }

  @Test
  void adaptiveGrowsByOnePerBusyWindowWhileLatencyHolds() {
    ConcurrencyLimit limit = ConcurrencyLimit.adaptive(2, 10, 100);
    for (int w = 0; w < 5; w++) {
      window(limit, 30 * MS);
    }
    assertEquals(15, limit.limit());
  }

  @Test
  void adaptiveHoldsWhenLatencyDoubles() {
    ConcurrencyLimit limit = ConcurrencyLimit.adaptive(2, 10, 100);
    window(limit, 30 * MS);
    assertEquals(11, limit.limit());
    window(limit, 90 * MS);
    window(limit, 90 * MS);
    assertEquals(11, limit.limit(), "latency tripled: no growth");
  }

  @Test
  void adaptiveDoesNotGrowWhenTheLimitIsNotUsed() {
    ConcurrencyLimit limit = ConcurrencyLimit.adaptive(2, 10, 100);
    for (int i = 0; i < 100; i++) {
      limit.onSample(30 * MS, 3, false);
    }
    assertEquals(10, limit.limit());
  }

  @Test
  void adaptiveBacksOffOnThrottlingOncePerWindowAndStaysInBounds() {
    ConcurrencyLimit limit = ConcurrencyLimit.adaptive(4, 40, 100);
    limit.onSample(30 * MS, 40, true);
    assertEquals(28, limit.limit(), "x0.7");
    limit.onSample(30 * MS, 40, true);
    assertEquals(28, limit.limit(), "once per window");
    for (int i = 0; i < 200; i++) {
      limit.onSample(30 * MS, 40, i % 3 == 0);
    }
    assertEquals(4, limit.limit(), "never below min");
    ConcurrencyLimit top = ConcurrencyLimit.adaptive(1, 5, 6);
    for (int w = 0; w < 10; w++) {
      window(top, MS);
    }
    assertEquals(6, top.limit(), "never above max");
    assertThrows(IllegalArgumentException.class, () -> ConcurrencyLimit.adaptive(5, 4, 10));
  }
}
