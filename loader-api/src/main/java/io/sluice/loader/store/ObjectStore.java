package io.sluice.loader.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where object bytes come from: the one seam between the loader and storage.
 *
 * <p>Implementations must be thread-safe and asynchronous: {@link #get} returns at once and completes its
 * future later, without parking a thread per request. A failed future carries a
 * {@link io.sluice.loader.SluiceException} (for example {@link ObjectNotFoundException}) naming the URI.
 *
 * <p>Implementations: {@link #localFiles} here, {@code S3ObjectStore} in {@code loader-s3}.
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Reads a whole object.
   *
   * @param ref the object to read; stores that support pinning honour its ETag and version id
   * @return a future completed with the bytes, or failed with a {@link io.sluice.loader.SluiceException}
   */
  CompletableFuture<StoredObject> get(ObjectRef ref);

  /**
   * Lists every object whose URI starts with {@code prefixUri}, in lexicographic order of URI.
   *
   * @param prefixUri for example {@code s3://bucket/images/}
   * @return a future completed with all matching objects
   */
  CompletableFuture<List<ObjectInfo>> list(String prefixUri);

  /**
   * Whether {@link #getRange} works. The loader fetches large objects as parallel ranged reads only from
   * stores that say yes. The default is false.
   */
  default boolean supportsRanges() {
    return false;
  }

  /**
   * Reads {@code length} bytes of an object from {@code offset}.
   *
   * @return a future completed with a {@link StoredObject} holding just those bytes (and the object's ETag),
   *     failed if the store cannot read ranges or the range lies outside the object
   */
  default CompletableFuture<StoredObject> getRange(ObjectRef ref, long offset, long length) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(this + " cannot read ranges"));
  }

  /** Releases the store's resources. The default does nothing. */
  @Override
  default void close() {}

  /**
   * A store over the local file system.
   *
   * <p>{@code file:} URIs map to their path. An {@code s3://bucket/key} URI maps to
   * {@code root/bucket/key}, so a local mirror of a bucket can serve a manifest written for S3. Keys that
   * would escape {@code root} (for example through {@code ..}) are refused.
   *
   * @param root the directory that {@code s3://} URIs resolve against
   */
  static ObjectStore localFiles(java.nio.file.Path root) {
    return new LocalObjectStore(root);
  }
}
