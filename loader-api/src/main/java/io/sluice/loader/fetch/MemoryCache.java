package io.sluice.loader.fetch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.concurrent.CompletableFuture;

/** {@link ObjectCache#memory}: Caffeine, weighted by bytes; maintenance runs on the calling thread. */
final class MemoryCache implements ObjectCache {
  private static final int OVERHEAD = 96;

  private final long maxBytes;
  private final Cache<String, StoredObject> cache;

  MemoryCache(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("memory cache size must be positive, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((String key, StoredObject value) -> (int) Math.min(Integer.MAX_VALUE, value.size() + OVERHEAD + 2L * key.length()))
        .executor(Runnable::run)
        .build();
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    StoredObject cached = cache.getIfPresent(CacheKeys.key(ref));
    if (cached != null && !CacheKeys.satisfies(ref, cached)) {
      cache.invalidate(CacheKeys.key(ref));
      cached = null;
    }
    return CompletableFuture.completedFuture(cached);
  }

  @Override
  public void put(ObjectRef ref, StoredObject object) {
    if (object.size() + OVERHEAD <= maxBytes) {
      cache.put(CacheKeys.key(ref), object);
    }
  }

  @Override
  public long sizeBytes() {
    return cache.policy().eviction().flatMap(e -> e.weightedSize().stream().boxed().findFirst()).orElse(0L);
  }

  @Override
  public String toString() {
    return "memory cache (" + sizeBytes() + " of " + maxBytes + " bytes)";
  }
}
