package io.sluice.loader.fetch;

import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;

/** What makes two references the same cache entry, and whether a cached object satisfies a reference. */
final class CacheKeys {
  private CacheKeys() {}

  static String key(ObjectRef ref) {
    return ref.versionId() == null ? ref.uri() : ref.uri() + "\u0000" + ref.versionId();
  }

  /** Whether {@code cached} is what {@code ref} asks for: same size and ETag where the reference knows them. */
  static boolean satisfies(ObjectRef ref, StoredObject cached) {
    return cached.uri().equals(ref.uri())
        && (ref.size() < 0 || ref.size() == cached.size())
        && (ref.etag() == null || ref.etag().equals(cached.etag()));
  }
}
