package io.sluice.benchmarks;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;

/**
 * Shows that the loader's memory stays within its budget whatever the dataset size: reads one epoch of
 * datasets from 2,000 to 50,000 objects of 110 KB (220 MB to 5.5 GB) from a store that makes objects on the
 * fly with 20 ms latency, and samples the heap and the process's resident memory every 10 ms.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.LoaderMemoryBenchmark
 * </pre>
 *
 * <p>Each size runs twice: with 3 batches of prefetch (the default), which bounds memory before the byte budget
 * does, and with 32, where the 64 MiB {@code maxBytesInFlight} budget is what holds. Batch tensors (64 x 3 x 128 x
 * 128 floats, 12.6 MB each, at most {@code prefetchBatches + 1} alive) live off heap.
 */
public final class LoaderMemoryBenchmark {
  private static final int OBJECT_SIZE = 110_000;

  private LoaderMemoryBenchmark() {}

  /** Makes every object on request, after a fixed latency, without holding any. */
  static final class GeneratedStore implements ObjectStore {
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "generated-store");
      t.setDaemon(true);
      return t;
    });

    @Override
    public CompletableFuture<StoredObject> get(ObjectRef ref) {
      CompletableFuture<StoredObject> f = new CompletableFuture<>();
      timer.schedule(() -> f.complete(new StoredObject(ref.uri(), new byte[OBJECT_SIZE], null, null)), 20,
          TimeUnit.MILLISECONDS);
      return f;
    }

    @Override
    public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  public static void main(String[] args) throws Exception {
    Transform<StoredObject, Features> fakeDecode = (in, ctx) -> {
      float[] v = new float[3 * 128 * 128];
      v[0] = in.size();
      return Features.of(v, 3, 128, 128);
    };
    System.out.println("objects  dataset  prefetch  samples/s  peak heap after GC  peak RSS  peak bytes in flight (budget 64 MiB = 67.1 MB)");
    int[] sizes = args.length == 0 ? new int[] {2_000, 10_000, 50_000}
        : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    List<java.lang.management.MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.getCollectionUsage() != null).toList();
    for (int run = 0; run < sizes.length * 2; run++) {
      int n = sizes[run % sizes.length];
      int prefetch = run < sizes.length ? 3 : 32;
      Manifest.Builder b = Manifest.builder("gen://b/", LabelMap.sorted(List.of("c")));
      for (int i = 0; i < n; i++) {
        b.add("c/" + i, 0, OBJECT_SIZE, null, null);
      }
      System.gc();
      AtomicLong peakHeap = new AtomicLong();
      AtomicLong peakNative = new AtomicLong();
      AtomicLong peakInFlight = new AtomicLong();
      try (GeneratedStore store = new GeneratedStore();
           DataLoader loader = DataLoader.builder().manifest(b.build()).store(store).transform(fakeDecode)
               .batchSize(64).maxInFlight(256).maxBytesInFlight(64L << 20).prefetchBatches(prefetch).build()) {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "memory-sampler");
          t.setDaemon(true);
          return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            long live = heapPools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
          peakHeap.accumulateAndGet(live, Math::max);
          peakNative.accumulateAndGet(Pointer.physicalBytes(), Math::max);
          peakInFlight.accumulateAndGet(loader.stats().bytesInFlight(), Math::max);
        }, 0, 10, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try (BatchIterator it = loader.epoch(0)) {
          while (it.hasNext()) {
            it.next().features().close();
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.shutdownNow();
        LoaderStats s = loader.stats();
        System.out.printf(Locale.ROOT, "%7d  %5.2f GB  %8d  %9.0f  %15.0f MB  %5.0f MB  %.1f MB%n", n,
            (double) n * OBJECT_SIZE / 1e9, prefetch, s.samples() / seconds, peakHeap.get() / 1e6,
            peakNative.get() / 1e6, peakInFlight.get() / 1e6);
      }
    }
  }
}
