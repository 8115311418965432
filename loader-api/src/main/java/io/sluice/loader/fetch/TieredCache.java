package io.sluice.loader.fetch;

import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link ObjectCache#tiered}. */
final class TieredCache implements ObjectCache {
  private final ObjectCache first;
  private final ObjectCache second;

  TieredCache(ObjectCache first, ObjectCache second) {
    this.first = Objects.requireNonNull(first, "memory");
    this.second = Objects.requireNonNull(second, "disk");
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    return first.get(ref).thenCompose(hit -> {
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
      return second.get(ref).thenApply(found -> {
        if (found != null) {
          first.put(ref, found);
        }
        return found;
      });
    });
  }

  @Override
  public void put(ObjectRef ref, StoredObject object) {
    first.put(ref, object);
    second.put(ref, object);
  }

  @Override
  public long sizeBytes() {
    return first.sizeBytes() + second.sizeBytes();
  }

  @Override
  public void close() {
    try {
      first.close();
    } finally {
      second.close();
    }
  }

  @Override
  public String toString() {
    return first + " then " + second;
  }
}
