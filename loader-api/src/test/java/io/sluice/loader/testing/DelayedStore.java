package io.sluice.loader.testing;

import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a store so that every get completes after a random delay on another thread, out of order, and
 * records the most gets ever outstanding at once. A test double of timing, not of S3.
 */
public final class DelayedStore implements ObjectStore {
  private final ObjectStore delegate;
  private final int maxDelayMicros;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "delayed-store-timer");
    t.setDaemon(true);
    return t;
  });
  private final SplittableRandom random = new SplittableRandom(7);
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger maxOutstanding = new AtomicInteger();

  public DelayedStore(ObjectStore delegate, int maxDelayMicros) {
    this.delegate = delegate;
    this.maxDelayMicros = maxDelayMicros;
  }

  public int maxOutstanding() {
    return maxOutstanding.get();
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    int now = outstanding.incrementAndGet();
    maxOutstanding.accumulateAndGet(now, Math::max);
    long delay;
    synchronized (random) {
      delay = random.nextInt(maxDelayMicros + 1);
    }
    CompletableFuture<StoredObject> out = new CompletableFuture<>();
    timer.schedule(() -> {
      outstanding.decrementAndGet();
      delegate.get(ref).whenComplete((v, e) -> {
        if (e != null) {
          out.completeExceptionally(e);
        } else {
          out.complete(v);
        }
      });
    }, delay, TimeUnit.MICROSECONDS);
    return out;
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
    return delegate.list(prefixUri);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
