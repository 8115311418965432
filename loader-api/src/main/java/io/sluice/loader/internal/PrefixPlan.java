package io.sluice.loader.internal;

import io.sluice.loader.Features;
import io.sluice.loader.PrefixCodec;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.concurrent.CompletableFuture;

/**
 * A chain split at the end of its deterministic prefix: the prefix runs once per object (its output kept, encoded,
 * in a cache keyed by the object's URI, ETag or version id, and the prefix's cache key), the suffix every epoch.
 * The prefix draws nothing from the sample's generator, so the suffix draws the same whether the prefix ran now or
 * was read from the cache: samples are bit-identical either way.
 */
public record PrefixPlan(Transform<StoredObject, Object> prefix, Transform<Object, Features> suffix,
    PrefixCodec<Object> codec, String key) {

  /** The cache entry of {@code ref}'s prefix output: its own URI, the object's ETag and version id. */
  public ObjectRef entry(ObjectRef ref) {
    return new ObjectRef(ref.uri() + "#sluice-prefix-" + key, -1, ref.etag(), ref.versionId());
  }

  /** Looks {@code ref} up; completes with {@code null} on a miss. */
  public CompletableFuture<StoredObject> lookup(ObjectCache cache, ObjectRef ref) {
    return cache.get(entry(ref));
  }

  /** A sample from an object just fetched: runs the prefix, keeps its output, runs the suffix. */
  public Features computeAndKeep(ObjectCache cache, ObjectRef ref, StoredObject object, SampleContext context) {
    Object value = prefix.apply(object, context);
    String etag = object.etag() != null ? object.etag() : ref.etag();
    ObjectRef entry = entry(ref);
    cache.put(entry, new StoredObject(entry.uri(), codec.encode(value), etag, ref.versionId()));
    return suffix.apply(value, context);
  }

  /** A sample from a cached prefix output. */
  public Features fromCache(StoredObject cached, SampleContext context) {
    return suffix.apply(codec.decode(cached.bytes()), context);
  }
}
