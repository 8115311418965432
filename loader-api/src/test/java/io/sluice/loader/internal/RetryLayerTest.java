package io.sluice.loader.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.store.ObjectNotFoundException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.store.ThrottledException;
import io.sluice.loader.testing.ManualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries, backoff, the retry budget and hedging, on a manual clock: no test here sleeps. */
class RetryLayerTest {
  private static final ObjectRef REF = ObjectRef.of("s3://b/k.jpg");
  private static final long SECOND = 1_000_000_000L;

  private final ManualClock clock = new ManualClock();
  private final List<Long> requestTimes = new ArrayList<>();
  private final Counting events = new Counting();

  /** A store that is down (connection refused) until {@code upAt}, then answers. */
  private FetchLayer downUntil(long upAt) {
    return (request, ev) -> {
      requestTimes.add(clock.nanoTime());
      if (clock.nanoTime() < upAt) {
        return CompletableFuture.failedFuture(new ConnectException("Connection refused"));
      }
      return CompletableFuture.completedFuture(new StoredObject(REF.uri(), new byte[] {1, 2, 3}, "e", null));
    };
  }

  private CompletableFuture<StoredObject> fetch(FetchLayer store, FetchPolicy policy) {
    return new RetryLayer(store, policy, clock, 7).fetch(FetchRequest.whole(REF), events);
  }

  @Test
  void withDefaultsAThirtySecondOutageIsRiddenOut() {
    long upAt = clock.nanoTime() + 30 * SECOND;
    CompletableFuture<StoredObject> f = fetch(downUntil(upAt), FetchPolicy.defaults());
    for (int s = 0; s < 40 && !f.isDone(); s++) {
      clock.advance(SECOND);
    }
    assertTrue(f.isDone(), "done within 40 s of simulated time");
    assertEquals(3, f.join().size());
    int attempts = requestTimes.size();
    assertTrue(attempts >= 8 && attempts < 60, "backed off, not hammered: " + attempts + " attempts");
    assertEquals(attempts - 1, events.retries.get(), "one retry event per re-sent request");
    for (int i = 1; i < attempts; i++) {
      long gap = requestTimes.get(i) - requestTimes.get(i - 1);
      assertTrue(gap <= 5 * SECOND, "backoff never above the 5 s cap: " + gap);
    }
  }

  @Test
  void theBudgetEndsARequestWithEveryCauseAndTheKey() {
    FetchPolicy policy = FetchPolicy.builder().retryBudget(Duration.ofSeconds(10)).build();
    CompletableFuture<StoredObject> f = fetch(downUntil(Long.MAX_VALUE), policy);
    clock.advance(60 * SECOND);
    assertTrue(f.isCompletedExceptionally());
    SluiceException e = failure(f);
    assertEquals(REF.uri(), e.key());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("attempts over"), e.getMessage());
    assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    long last = requestTimes.get(requestTimes.size() - 1) - requestTimes.get(0);
    assertTrue(last <= 10 * SECOND, "no attempt starts after the budget: " + last);
    assertEquals(0, clock.pending(), "nothing left scheduled");
  }

  @Test
  void aPermanentFailureFailsAtOnceWithoutRetrying() {
    AtomicInteger calls = new AtomicInteger();
    FetchLayer missing = (request, ev) -> {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new ObjectNotFoundException(REF.uri(), null));
    };
    CompletableFuture<StoredObject> f = fetch(missing, FetchPolicy.defaults());
    assertTrue(f.isCompletedExceptionally(), "failed without time passing");
    assertEquals(1, calls.get());
    assertEquals(0, events.retries.get());
    assertTrue(failure(f) instanceof ObjectNotFoundException);
  }

  @Test
  void maxAttemptsCapsRetriesWithinTheBudget() {
    FetchPolicy policy = FetchPolicy.builder().maxAttempts(3).build();
    CompletableFuture<StoredObject> f = fetch(downUntil(Long.MAX_VALUE), policy);
    clock.advance(60 * SECOND);
    assertEquals(3, requestTimes.size());
    assertTrue(failure(f).getMessage().contains("after 3 attempts"), failure(f).getMessage());
  }

  @Test
  void aSlowRequestIsHedgedAfterTheDelayAndTheFirstAnswerWins() {
    List<CompletableFuture<StoredObject>> sent = new ArrayList<>();
    FetchLayer slow = (request, ev) -> {
      CompletableFuture<StoredObject> f = new CompletableFuture<>();
      sent.add(f);
      return f;
    };
    FetchPolicy policy = FetchPolicy.builder().hedgeAfter(Duration.ofSeconds(2)).build();
    CompletableFuture<StoredObject> result = fetch(slow, policy);
    clock.advance(SECOND);
    assertEquals(1, sent.size(), "no hedge before the delay");
    clock.advance(SECOND);
    assertEquals(2, sent.size(), "a twin at 2 s");
    assertEquals(1, events.hedges.get());
    StoredObject answer = new StoredObject(REF.uri(), new byte[] {9}, "e", null);
    sent.get(1).complete(answer);
    assertSame(answer, result.join());
    assertTrue(sent.get(0).isCancelled(), "the loser is cancelled");
    clock.advance(10 * SECOND);
    assertEquals(2, sent.size(), "nothing more is sent");
  }

  @Test
  void throttlingIsRetriedLikeAnOutage() {
    AtomicInteger calls = new AtomicInteger();
    FetchLayer throttling = (request, ev) -> calls.incrementAndGet() <= 4
        ? CompletableFuture.failedFuture(new ThrottledException("503 SlowDown", REF.uri(), null))
        : CompletableFuture.completedFuture(new StoredObject(REF.uri(), new byte[] {1}, "e", null));
    CompletableFuture<StoredObject> f = fetch(throttling, FetchPolicy.defaults());
    clock.advance(30 * SECOND);
    assertEquals(1, f.join().size());
    assertEquals(5, calls.get());
  }

  @Test
  void cancellingTheResultCancelsTheRequestAndItsTimers() {
    CompletableFuture<StoredObject> inner = new CompletableFuture<>();
    CompletableFuture<StoredObject> f = fetch((request, ev) -> inner, FetchPolicy.defaults());
    assertEquals(1, clock.pending(), "the hedge timer");
    f.cancel(true);
    assertTrue(inner.isCancelled());
    assertEquals(0, clock.pending());
    assertFalse(events.hedges.get() > 0);
  }

  private static SluiceException failure(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return (SluiceException) e.getCause();
    }
    throw new AssertionError("did not fail");
  }

  static final class Counting implements FetchEvents {
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger hedges = new AtomicInteger();

    @Override
    public void request(long latencyNanos, long bytes, boolean throttled) {}

    @Override
    public void retry() {
      retries.incrementAndGet();
    }

    @Override
    public void hedge() {
      hedges.incrementAndGet();
    }

    @Override
    public void cache(boolean hit) {}
  }
}
