package io.sluice.spark;

import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an executor JVM keeps between tasks: one store per {@link StoreProvider}, one manifest per (location,
 * digest). Stores are closed when the JVM exits.
 */
final class ExecutorResources {
  private static final Map<StoreProvider, ObjectStore> STORES = new ConcurrentHashMap<>();
  private static final Map<String, Manifest> MANIFESTS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorResources::closeStores, "sluice-close-stores"));
  }

  private ExecutorResources() {}

  /**
   * Whether stores of {@code provider} are kept for the JVM's life: only for providers that are values (equal when
   * their settings are), since a lambda deserialised in each task never equals the last one.
   */
  static boolean shared(StoreProvider provider) {
    return provider instanceof S3StoreSettings || provider.getClass().isRecord();
  }

  /** The JVM's store for a {@link #shared} provider. */
  static ObjectStore store(StoreProvider provider) {
    return STORES.computeIfAbsent(provider, StoreProvider::create);
  }

  /**
   * The job's manifest, read once per JVM.
   *
   * @throws SluiceException if the manifest read here is not the one the driver planned with
   */
  static Manifest manifest(ShardJob job) {
    Manifest manifest = MANIFESTS.computeIfAbsent(job.manifest().uri() + "#" + job.digest(),
        unused -> readManifest(job));
    if (!manifest.digest().equals(job.digest())) {
      MANIFESTS.remove(job.manifest().uri() + "#" + job.digest());
      throw new SluiceException("manifest " + job.manifest() + " read on this executor has digest "
          + manifest.digest() + " but the driver planned the epochs with digest " + job.digest()
          + ": it changed while the job ran, so shards would no longer match", job.manifest().uri(), false, null);
    }
    return manifest;
  }

  private static Manifest readManifest(ShardJob job) {
    if (shared(job.store())) {
      return job.manifest().read(store(job.store()));
    }
    try (ObjectStore store = job.store().create()) {
      return job.manifest().read(store);
    }
  }

  private static void closeStores() {
    for (ObjectStore store : STORES.values()) {
      try {
        store.close();
      } catch (RuntimeException e) {
        // The JVM is exiting; nothing is left to report to.
      }
    }
    STORES.clear();
  }
}
