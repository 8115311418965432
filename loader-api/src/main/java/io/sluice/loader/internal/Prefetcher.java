package io.sluice.loader.internal;

import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Issuing for one epoch: starts the fetches of its reading positions in order, as far ahead as the consumer's
 * window and the loader-wide {@link FetchLimiter} allow, and hands each outcome to a {@link Sink}. A sample's
 * companions (further objects its targets read) are fetched with it, under its permit.
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
     * @param companions the further objects the sample reads (a segmentation mask, say), by URI; often empty
     */
    void arrived(int position, StoredObject object, boolean prefixed, Map<String, StoredObject> companions,
        FetchLimiter.Permit permit);

    void failed(int position, Throwable error, FetchLimiter.Permit permit);
  }

  private final Manifest manifest;
  private final int[] order;
  private final FetchLimiter limiter;
  private final FetchLayer chain;
  private final StatsRecorder stats;
  private final Sink sink;
  private final Function<ObjectRef, CompletableFuture<StoredObject>> prefixLookup;
  private final IntFunction<Collection<String>> companionsOf;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private int nextToIssue;
  private boolean closed;

  /**
   * @param order the manifest indices of the epoch, in reading order
   * @param stats the epoch's statistics (they forward to the loader's)
   * @param prefixLookup where to look a sample's prefix output up before fetching it, or {@code null}
   * @param companionsOf the URIs of the further objects the sample of a manifest index reads, fetched with it
   *     under its permit (so they count against the limit and the bytes budget), or {@code null} for none
   */
  public Prefetcher(Manifest manifest, int[] order, FetchLimiter limiter, FetchLayer chain, StatsRecorder stats,
      Sink sink, Function<ObjectRef, CompletableFuture<StoredObject>> prefixLookup,
      IntFunction<Collection<String>> companionsOf) {
    this.prefixLookup = prefixLookup;
    this.companionsOf = companionsOf;
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

  /** Whether every position of the epoch has been issued. */
  public boolean issuedAll() {
    lock.lock();
    try {
      return nextToIssue >= order.length;
    } finally {
      lock.unlock();
    }
  }

  private void issue(int position, FetchLimiter.Permit permit) {
    stats.inFlight(1);
    stats.bytesInFlight(permit.heldBytes());
    ObjectEvents events = new ObjectEvents(stats);
    ObjectRef ref = manifest.ref(order[position]);
    boolean[] prefixed = new boolean[1];
    Map<String, CompletableFuture<StoredObject>> companions = companionsOf == null ? Map.of() : new LinkedHashMap<>();
    CompletableFuture<StoredObject> fetch;
    try {
      fetch = prefixLookup == null ? chain.fetch(FetchRequest.whole(ref), events)
          : prefixLookup.apply(ref).thenCompose(hit -> {
            stats.prefix(hit != null);
            prefixed[0] = hit != null;
            return hit != null ? CompletableFuture.completedFuture(hit) : chain.fetch(FetchRequest.whole(ref), events);
          });
      if (companionsOf != null) {
        for (String uri : companionsOf.apply(order[position])) {
          companions.computeIfAbsent(uri, u -> chain.fetch(FetchRequest.whole(ObjectRef.of(u)), events));
        }
      }
    } catch (RuntimeException e) {
      fetch = CompletableFuture.failedFuture(e);
      if (!companions.isEmpty()) {
        companions.values().forEach(f -> f.cancel(true));
        companions.clear();
      }
    }
    List<CompletableFuture<StoredObject>> all;
    CompletableFuture<?> done;
    if (companions.isEmpty()) { // the usual case: one object, no joining
      all = List.of(fetch);
      done = fetch;
    } else {
      all = new ArrayList<>(companions.values());
      all.add(0, fetch);
      done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
      all.forEach(f -> f.whenComplete((v, e) -> {
        if (e != null) {
          all.forEach(other -> other.cancel(true)); // one failed: the sample fails, the rest is not needed
        }
      }));
    }
    pending.addAll(all);
    CompletableFuture<StoredObject> primary = fetch;
    done.whenComplete((unused, error) -> {
      pending.removeAll(all);
      // Only a sample that reached the store teaches the limit anything; a cache hit has no latency to learn from.
      boolean learn = events.requests > 0;
      if (error == null) {
        StoredObject object = primary.join();
        Map<String, StoredObject> fetched = companions.isEmpty() ? Map.of() : new LinkedHashMap<>();
        long size = object.size();
        for (Map.Entry<String, CompletableFuture<StoredObject>> c : companions.entrySet()) {
          StoredObject companion = c.getValue().join();
          fetched.put(c.getKey(), companion);
          size += companion.size();
        }
        long expected = permit.heldBytes();
        limiter.fetched(permit, size, learn, events.throttled);
        stats.bytesInFlight(size - expected);
        sink.arrived(position, object, prefixed[0], fetched, permit);
      } else {
        limiter.failed(permit, learn, events.throttled);
        sink.failed(position, firstFailure(all, error), permit);
      }
    });
  }

  /** The failure that ended a sample: the first request that failed other than by being cancelled for it. */
  private static Throwable firstFailure(List<CompletableFuture<StoredObject>> all, Throwable fallback) {
    for (CompletableFuture<StoredObject> f : all) {
      if (f.isCompletedExceptionally() && !f.isCancelled()) {
        try {
          f.join();
        } catch (RuntimeException e) {
          return FetchErrors.unwrap(e);
        }
      }
    }
    return FetchErrors.unwrap(fallback);
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
