package io.sluice.loader.internal;

import io.sluice.loader.store.StoredObject;
import java.util.concurrent.CompletableFuture;

/**
 * One concern of fetching (cache, ranged reads, retries and hedges, metering), wrapping the layer below it down
 * to the {@link io.sluice.loader.store.ObjectStore}, as an OkHttp interceptor wraps the rest of its chain. The
 * layers are assembled in one place, {@link FetchChain#assemble}.
 *
 * <p>Layers never block: each continues from the completion of the layer below. Cancelling a returned future
 * cancels what the layer started for it.
 */
@FunctionalInterface
public interface FetchLayer {

  /**
   * Fetches {@code request}, reporting what happens to {@code events}.
   *
   * @return a future completed with the bytes, or failed with a {@link io.sluice.loader.SluiceException} naming
   *     the URI
   */
  CompletableFuture<StoredObject> fetch(FetchRequest request, FetchEvents events);
}
