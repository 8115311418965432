package io.sluice.loader.internal;

import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Issuing for one epoch: starts the fetches of its reading positions in order, as far ahead as the consumer's
 * window and the loader-wide {@link FetchLimiter} allow, and hands each outcome to a {@link Sink}.
 *
 * <p>{@link #pump} may run on any thread at any time (a released permit, a batch taken): it admits under a
 * short lock and sends the requests outside it.
 */
public final class Prefetcher {

  /** Where fetched objects go. Exactly one call per issued position. */
  public interface Sink {
    /**
     * @param object the object's bytes, or its prefix output's encoding if {@code prefixed}
     * @param prefixed whether it came from the prefix cache
     */
    void arrived(int position, StoredObject object, boolean prefixed, FetchLimiter.Permit permit);

    void failed(int position, Throwable error, FetchLimiter.Permit permit);
  }

  private final Manifest manifest;
  private final int[] order;
  private final FetchLimiter limiter;
  private final FetchLayer chain;
  private final StatsRecorder stats;
  private final Sink sink;
  private final Function<ObjectRef, CompletableFuture<StoredObject>> prefixLookup;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private int nextToIssue;
  private boolean closed;

  /**
   * @param order the manifest indices of the epoch, in reading order
   * @param stats the epoch's statistics (they forward to the loader's)
   * @param prefixLookup where to look a sample's prefix output up before fetching it, or {@code null}
   */
  public Prefetcher(Manifest manifest, int[] order, FetchLimiter limiter, FetchLayer chain, StatsRecorder stats,
      Sink sink, Function<ObjectRef, CompletableFuture<StoredObject>> prefixLookup) {
    this.prefixLookup = prefixLookup;
    this.manifest = manifest;
    this.order = order;
    this.limiter = limiter;
    this.chain = chain;
    this.stats = stats;
    this.sink = sink;
  }

  /** Starts fetching positions below {@code window} (and not yet started) while the limiter admits them. */
  public void pump(int window) {
    int first;
    int started = 0;
    FetchLimiter.Permit[] permits = null;
    lock.lock();
    try {
      first = nextToIssue;
      int end = Math.min(order.length, window);
      while (!closed && nextToIssue < end) {
        FetchLimiter.Permit permit = limiter.tryAcquire(manifest.objectSize(order[nextToIssue]));
        if (permit == null) {
          break;
        }
        if (permits == null) {
          permits = new FetchLimiter.Permit[end - first];
        }
        permits[started++] = permit;
        nextToIssue++;
      }
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < started; i++) {
      issue(first + i, permits[i]);
    }
  }

  private void issue(int position, FetchLimiter.Permit permit) {
    stats.inFlight(1);
    stats.bytesInFlight(permit.heldBytes());
    ObjectEvents events = new ObjectEvents(stats);
    ObjectRef ref = manifest.ref(order[position]);
    boolean[] prefixed = new boolean[1];
    CompletableFuture<StoredObject> fetch;
    try {
      fetch = prefixLookup == null ? chain.fetch(FetchRequest.whole(ref), events)
          : prefixLookup.apply(ref).thenCompose(hit -> {
            stats.prefix(hit != null);
            prefixed[0] = hit != null;
            return hit != null ? CompletableFuture.completedFuture(hit) : chain.fetch(FetchRequest.whole(ref), events);
          });
    } catch (RuntimeException e) {
      fetch = CompletableFuture.failedFuture(e);
    }
    pending.add(fetch);
    CompletableFuture<StoredObject> sent = fetch;
    fetch.whenComplete((object, error) -> {
      pending.remove(sent);
      // Only an object that reached the store teaches the limit anything; a cache hit has no latency to learn from.
      boolean learn = events.requests > 0;
      if (object != null) {
        long expected = permit.heldBytes();
        limiter.fetched(permit, object.size(), learn, events.throttled);
        stats.bytesInFlight(object.size() - expected);
        sink.arrived(position, object, prefixed[0], permit);
      } else {
        limiter.failed(permit, learn, events.throttled);
        sink.failed(position, error, permit);
      }
    });
  }

  /** Stops issuing and cancels the fetches in flight (their sinks hear of it as failures). */
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    for (CompletableFuture<?> f : pending) {
      f.cancel(true);
    }
  }

  /** One object's events: forwarded to the statistics; throttling remembered for the limiter. */
  private static final class ObjectEvents implements FetchEvents {
    private final StatsRecorder stats;
    volatile boolean throttled;
    volatile int requests;

    ObjectEvents(StatsRecorder stats) {
      this.stats = stats;
    }

    @Override
    public void request(long latencyNanos, long bytes, boolean wasThrottled) {
      requests++;
      if (wasThrottled) {
        throttled = true;
      }
      stats.request(latencyNanos, bytes, wasThrottled);
    }

    @Override
    public void retry() {
      stats.retry();
    }

    @Override
    public void hedge() {
      stats.hedge();
    }

    @Override
    public void cache(boolean hit) {
      stats.cache(hit);
    }
  }
}
