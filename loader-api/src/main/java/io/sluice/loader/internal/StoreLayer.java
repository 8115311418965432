package io.sluice.loader.internal;

import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import java.util.concurrent.CompletableFuture;

/** The bottom of the chain: one request to the store. */
final class StoreLayer implements FetchLayer {
  private final ObjectStore store;

  StoreLayer(ObjectStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<StoredObject> fetch(FetchRequest request, FetchEvents events) {
    try {
      return request.isWhole() ? store.get(request.ref())
          : store.getRange(request.ref(), request.offset(), request.length());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
