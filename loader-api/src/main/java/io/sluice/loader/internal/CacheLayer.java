package io.sluice.loader.internal;

import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.store.StoredObject;
import java.util.concurrent.CompletableFuture;

/** Serves whole objects from an {@link ObjectCache} and offers every object fetched below to it. */
final class CacheLayer implements FetchLayer {
  private final FetchLayer next;
  private final ObjectCache cache;

  CacheLayer(FetchLayer next, ObjectCache cache) {
    this.next = next;
    this.cache = cache;
  }

  @Override
  public CompletableFuture<StoredObject> fetch(FetchRequest request, FetchEvents events) {
    if (!request.isWhole()) {
      return next.fetch(request, events);
    }
    return cache.get(request.ref()).thenCompose(hit -> {
      events.cache(hit != null);
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
      return next.fetch(request, events).thenApply(object -> {
        cache.put(request.ref(), object);
        return object;
      });
    });
  }
}
