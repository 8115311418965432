package io.sluice.loader.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An {@link ObjectStore} holding objects in memory, for tests, benchmarks and data already in RAM.
 *
 * <p>Gets complete at once on the caller's thread. Thread-safe.
 */
public final class InMemoryObjectStore implements ObjectStore {
  private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();
  private final LongAdder gets = new LongAdder();

  /** An empty store. */
  public InMemoryObjectStore() {}

  /** Stores {@code bytes} (not copied) under {@code uri}, replacing any earlier object. */
  public InMemoryObjectStore put(String uri, byte[] bytes) {
    Objects.requireNonNull(uri, "uri");
    objects.put(uri, new StoredObject(uri, bytes, Integer.toHexString(java.util.Arrays.hashCode(bytes)), null));
    return this;
  }

  /** Removes the object at {@code uri}, if any. */
  public void remove(String uri) {
    objects.remove(uri);
  }

  /** How many gets this store has answered, successful or not. */
  public long gets() {
    return gets.sum();
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    gets.increment();
    StoredObject object = objects.get(ref.uri());
    if (object == null) {
      return CompletableFuture.failedFuture(new ObjectNotFoundException(ref.uri(), null));
    }
    return CompletableFuture.completedFuture(object);
  }

  @Override
  public boolean supportsRanges() {
    return true;
  }

  @Override
  public CompletableFuture<StoredObject> getRange(ObjectRef ref, long offset, long length) {
    gets.increment();
    StoredObject object = objects.get(ref.uri());
    if (object == null) {
      return CompletableFuture.failedFuture(new ObjectNotFoundException(ref.uri(), null));
    }
    if (offset < 0 || length < 0 || offset + length > object.size()) {
      return CompletableFuture.failedFuture(new io.sluice.loader.SluiceException("range " + offset + "+" + length
          + " lies outside " + ref.uri() + " (" + object.size() + " bytes)", ref.uri(), false, null));
    }
    byte[] part = java.util.Arrays.copyOfRange(object.bytes(), (int) offset, (int) (offset + length));
    return CompletableFuture.completedFuture(new StoredObject(ref.uri(), part, object.etag(), null));
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
    List<ObjectInfo> out = new ArrayList<>();
    for (StoredObject o : objects.values()) {
      if (o.uri().startsWith(prefixUri)) {
        out.add(new ObjectInfo(o.uri(), o.size(), o.etag()));
      }
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public String toString() {
    return "InMemoryObjectStore{" + objects.size() + " objects}";
  }
}
