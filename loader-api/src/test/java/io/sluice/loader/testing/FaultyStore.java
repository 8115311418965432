package io.sluice.loader.testing;

import io.sluice.loader.SluiceException;
import io.sluice.loader.internal.Seeds;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.store.ThrottledException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a store and fails requests the way S3 does: throttling (503 SlowDown), server errors, connection
 * resets and bodies cut short, each at a rate. Whether the n-th request for a URI fails is a function of
 * (seed, URI, n), so a run is reproducible whatever the thread timing. Objects can also be made to hang
 * (never answer until cancelled) on their first request, or to fail for good.
 */
public final class FaultyStore implements ObjectStore {
  private final ObjectStore delegate;
  private final long seed;
  private final double throttleRate;
  private final double serverErrorRate;
  private final double resetRate;
  private final double truncateRate;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Set<String> hangFirst = ConcurrentHashMap.newKeySet();
  private final Set<String> broken = ConcurrentHashMap.newKeySet();
  private final AtomicLong injected = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  public FaultyStore(ObjectStore delegate, long seed, double throttleRate, double serverErrorRate, double resetRate,
      double truncateRate) {
    this.delegate = delegate;
    this.seed = seed;
    this.throttleRate = throttleRate;
    this.serverErrorRate = serverErrorRate;
    this.resetRate = resetRate;
    this.truncateRate = truncateRate;
  }

  /** The first request for {@code uri} never answers (until cancelled); later ones behave. */
  public FaultyStore hangFirstRequest(String uri) {
    hangFirst.add(uri);
    return this;
  }

  /** Every request for {@code uri} fails with a retryable server error. */
  public FaultyStore breakForGood(String uri) {
    broken.add(uri);
    return this;
  }

  public long injected() {
    return injected.get();
  }

  public long cancelled() {
    return cancelled.get();
  }

  public long requests() {
    return total.get();
  }

  public int requestsFor(String uri) {
    AtomicInteger n = requests.get(uri);
    return n == null ? 0 : n.get();
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    total.incrementAndGet();
    String uri = ref.uri();
    int n = requests.computeIfAbsent(uri, k -> new AtomicInteger()).incrementAndGet();
    if (n == 1 && hangFirst.contains(uri)) {
      CompletableFuture<StoredObject> never = new CompletableFuture<>();
      never.whenComplete((v, e) -> {
        if (never.isCancelled()) {
          cancelled.incrementAndGet();
        }
      });
      return never;
    }
    if (broken.contains(uri)) {
      injected.incrementAndGet();
      return CompletableFuture.failedFuture(new SluiceException("cannot read " + uri + ": InternalError, HTTP 500",
          uri, true, null));
    }
    double u = (Seeds.mix(seed ^ uri.hashCode() * 0x9E3779B97F4A7C15L ^ n * 0xC2B2AE3D27D4EB4FL) >>> 11) * 0x1.0p-53;
    if (u < throttleRate) {
      injected.incrementAndGet();
      return CompletableFuture.failedFuture(new ThrottledException("cannot read " + uri + ": SlowDown, HTTP 503", uri,
          null));
    }
    u -= throttleRate;
    if (u < serverErrorRate) {
      injected.incrementAndGet();
      return CompletableFuture.failedFuture(new SluiceException("cannot read " + uri + ": InternalError, HTTP 500",
          uri, true, null));
    }
    u -= serverErrorRate;
    if (u < resetRate) {
      injected.incrementAndGet();
      return CompletableFuture.failedFuture(new IOException("Connection reset by peer"));
    }
    u -= resetRate;
    if (u < truncateRate) {
      injected.incrementAndGet();
      return delegate.get(ref).thenApply(o -> {
        throw new SluiceException("cannot read " + uri + ": body ended after " + o.size() / 2 + " of " + o.size()
            + " bytes", uri, true, null);
      });
    }
    return delegate.get(ref);
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
    return delegate.list(prefixUri);
  }
}
