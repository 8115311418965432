package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.EpochChecks;
import io.sluice.loader.testing.SyntheticDataset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The loader's threads have a context class loader even when a store completes its fetches on threads without one
 * (the CRT HTTP client's native event loops): ND4J finds its backend through it.
 */
class WorkerContextClassLoaderTest {

  /** Completes every GET on a thread whose context class loader is null. */
  private static final class NativeLikeStore implements ObjectStore {
    private final InMemoryObjectStore delegate = new InMemoryObjectStore();
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "native-like-event-loop");
      t.setDaemon(true);
      t.setContextClassLoader(null);
      return t;
    });

    @Override
    public CompletableFuture<StoredObject> get(ObjectRef ref) {
      return delegate.get(ref).thenApplyAsync(object -> object, completions);
    }

    @Override
    public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
      return delegate.list(prefixUri);
    }

    @Override
    public void close() {
      completions.shutdownNow();
    }
  }

  @Test
  void transformsRunWithAContextClassLoaderWhateverThreadCompletedTheFetch() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 24, 2);
    NativeLikeStore store = new NativeLikeStore();
    data.objects().forEach(store.delegate::put);
    Transform<StoredObject, Features> needsContext = (object, context) -> {
      if (Thread.currentThread().getContextClassLoader() == null) {
        throw new IllegalStateException("no context class loader on " + Thread.currentThread().getName());
      }
      return SyntheticDataset.identify().apply(object, context);
    };
    try (store; DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(store)
        .transform(needsContext).batchSize(8).workers(2).seed(1).build()) {
      assertEquals(24, EpochChecks.readEpoch(loader, 0).size());
    }
  }
}
