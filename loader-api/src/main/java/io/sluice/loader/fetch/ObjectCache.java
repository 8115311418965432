package io.sluice.loader.fetch;

import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A cache of whole objects in front of the store, so later epochs need not fetch them again.
 *
 * <p>Entries are keyed by URI (and version id when the reference has one); an entry whose size or ETag
 * differs from what the reference expects is a miss. Implementations are thread-safe.
 */
public interface ObjectCache extends AutoCloseable {

  /** The cached object, or a future completed with {@code null} on a miss. */
  CompletableFuture<StoredObject> get(ObjectRef ref);

  /** Offers an object to the cache; it may be stored later (disk) or not at all (too large). */
  void put(ObjectRef ref, StoredObject object);

  /** The bytes held now. */
  long sizeBytes();

  /** Releases the cache's threads; entries on disk stay for the next run. */
  @Override
  default void close() {}

  /**
   * A cache in memory (Caffeine), weighted by object size, holding at most {@code maxBytes}.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is not positive
   */
  static ObjectCache memory(long maxBytes) {
    return new MemoryCache(maxBytes);
  }

  /**
   * A cache on local disk holding at most {@code maxBytes}, least recently used out first. Files are named by
   * a SHA-256 of the key, written atomically, and checked against the reference's size and ETag on read, so
   * a key cannot escape {@code directory} and a torn or stale file is never served. Entries already in the
   * directory are reused.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is not positive
   * @throws io.sluice.loader.SluiceException if the directory cannot be created or read
   */
  static ObjectCache disk(Path directory, long maxBytes) {
    return new DiskCache(directory, maxBytes);
  }

  /** Memory first, then disk: hits on disk are promoted to memory; new objects go to both. */
  static ObjectCache tiered(ObjectCache memory, ObjectCache disk) {
    return new TieredCache(memory, disk);
  }
}
