package io.sluice.spark;

import io.sluice.loader.DataLoader;
import java.io.Serializable;

/**
 * Tunes the {@link DataLoader} each executor task builds: concurrency, bytes in flight, prefetch, workers, fetch
 * and failure policy, cache. For example {@code b -> b.maxInFlight(64).workers(2)}.
 *
 * <p>Applied before {@link SparkLoader} sets what defines the data (manifest, store, transform, batch size, seed,
 * sampling, world, position), so those settings here have no effect.
 */
@FunctionalInterface
public interface LoaderTuning extends Serializable {

  /** Configures {@code builder}. */
  void apply(DataLoader.Builder builder);

  /** The loader's defaults. */
  static LoaderTuning defaults() {
    return builder -> { };
  }
}
