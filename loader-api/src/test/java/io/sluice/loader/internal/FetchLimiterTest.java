package io.sluice.loader.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.loader.fetch.ConcurrencyLimit;
import io.sluice.loader.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limiter counts objects, holds the bytes budget and feeds the limit one sample per object. */
class FetchLimiterTest {
  private final ManualClock clock = new ManualClock();

  /** A fixed limit that records what it learns. */
  static final class Recording implements ConcurrencyLimit {
    final int limit;
    final List<long[]> samples = new ArrayList<>(); // latency, in flight, throttled

    Recording(int limit) {
      this.limit = limit;
    }

    @Override
    public int limit() {
      return limit;
    }

    @Override
    public synchronized void onSample(long latencyNanos, int inFlight, boolean throttled) {
      samples.add(new long[] {latencyNanos, inFlight, throttled ? 1 : 0});
    }
  }

  @Test
  void permitsAreObjectsAndTheLimitLearnsOncePerObject() {
    Recording limit = new Recording(2);
    FetchLimiter limiter = new FetchLimiter(limit, 1 << 30, clock);
    FetchLimiter.Permit a = limiter.tryAcquire(100);
    FetchLimiter.Permit b = limiter.tryAcquire(100);
    assertNull(limiter.tryAcquire(100), "two objects is the limit");
    assertEquals(2, limiter.objectsInFlight());
    clock.advance(30_000_000);
    limiter.fetched(a, 120, true, true); // however many requests it took, one sample
    assertEquals(1, limit.samples.size());
    assertEquals(30_000_000, limit.samples.get(0)[0], "latency from admission to bytes");
    assertEquals(1, limit.samples.get(0)[1], "one in flight when it was admitted");
    assertEquals(1, limit.samples.get(0)[2], "throttled");
    assertNotNull(limiter.tryAcquire(100), "the permit came back");
    limiter.failed(b, true, false);
    assertEquals(2, limit.samples.size());
    assertThrows(IllegalStateException.class, () -> limiter.failed(b, true, false), "a permit is handed back once");
  }

  @Test
  void bytesAreHeldFromAdmissionUntilReleasedAndAdjustedToTheActualSize() {
    FetchLimiter limiter = new FetchLimiter(new Recording(100), 1000, clock);
    FetchLimiter.Permit a = limiter.tryAcquire(600);
    assertNull(limiter.tryAcquire(500), "600 + 500 is over the budget");
    FetchLimiter.Permit b = limiter.tryAcquire(400);
    assertEquals(1000, limiter.bytesHeld());
    limiter.fetched(a, 300, true, false);
    assertEquals(700, limiter.bytesHeld(), "actual size replaces the expected one");
    assertEquals(0, limiter.objectsInFlight() - 1, "b is still being fetched");
    limiter.releaseBytes(a);
    limiter.releaseBytes(a); // idempotent
    assertEquals(400, limiter.bytesHeld());
    limiter.failed(b, true, false);
    assertEquals(400, limiter.bytesHeld(), "a failed object's bytes stay held until its sample is done with");
    limiter.releaseBytes(b);
    assertEquals(0, limiter.bytesHeld());
    assertNotNull(limiter.tryAcquire(5000), "an object larger than the budget is admitted when nothing is held");
  }

  @Test
  void unknownSizesAreGuessedFromTheMeanSeenSoFar() {
    FetchLimiter limiter = new FetchLimiter(new Recording(100), 1 << 30, clock);
    FetchLimiter.Permit a = limiter.tryAcquire(-1);
    assertEquals(64 << 10, a.heldBytes(), "the first guess");
    limiter.fetched(a, 1000, true, false);
    limiter.fetched(limiter.tryAcquire(-1), 3000, true, false);
    assertEquals(2000, limiter.tryAcquire(-1).heldBytes(), "the mean of what arrived");
  }

  @Test
  void everyReleaseTellsTheListeners() {
    FetchLimiter limiter = new FetchLimiter(new Recording(1), 1 << 20, clock);
    AtomicInteger heard = new AtomicInteger();
    Runnable listener = heard::incrementAndGet;
    limiter.listen(listener);
    FetchLimiter.Permit a = limiter.tryAcquire(10);
    limiter.fetched(a, 10, true, false);
    limiter.releaseBytes(a);
    assertEquals(2, heard.get(), "the permit and the bytes");
    limiter.unlisten(listener);
    FetchLimiter.Permit b = limiter.tryAcquire(10);
    limiter.failed(b, true, false);
    assertEquals(2, heard.get());
  }
}
