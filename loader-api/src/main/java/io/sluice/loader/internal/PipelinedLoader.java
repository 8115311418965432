package io.sluice.loader.internal;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.Sampler;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The {@link DataLoader} implementation. Not API: build loaders with {@link DataLoader#builder()}. */
public final class PipelinedLoader implements DataLoader {
  private static final AtomicInteger LOADERS = new AtomicInteger();

  /** The builder's settings, validated. */
  public record Config(Manifest manifest, ObjectStore store, Transform<? super StoredObject, ? extends Features> transform,
      int batchSize, long seed, Sampler sampler, int maxInFlight, int prefetchBatches, int workers) {}

  private final Config config;
  private final ThreadPoolExecutor workers;
  private final Set<EpochRun> open = ConcurrentHashMap.newKeySet();
  final StatsRecorder stats = new StatsRecorder();
  private volatile long[] sampleShape;
  private volatile boolean closed;

  /** Starts the worker pool. */
  public PipelinedLoader(Config config) {
    this.config = config;
    int id = LOADERS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "sluice-" + id + "-worker-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  Config config() {
    return config;
  }

  ExecutorService workers() {
    return workers;
  }

  void sampleShape(long[] shape) {
    if (sampleShape == null) {
      sampleShape = shape;
    }
  }

  long[] knownSampleShape() {
    return sampleShape;
  }

  void forget(EpochRun run) {
    open.remove(run);
  }

  @Override
  public Manifest manifest() {
    return config.manifest();
  }

  @Override
  public int batchSize() {
    return config.batchSize();
  }

  @Override
  public int batchesPerEpoch() {
    int n = config.sampler().indices(config.manifest().size(), config.seed(), 0).length;
    return (n + config.batchSize() - 1) / config.batchSize();
  }

  @Override
  public BatchIterator epoch(int epoch) {
    return openEpoch(epoch);
  }

  EpochRun openEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, was " + epoch);
    }
    if (closed) {
      throw new IllegalStateException("loader is closed");
    }
    EpochRun run = new EpochRun(this, epoch);
    open.add(run);
    run.start();
    return run;
  }

  @Override
  public DataSetIterator asDataSetIterator() {
    return new LoaderDataSetIterator(this);
  }

  @Override
  public LoaderStats stats() {
    return stats.snapshot();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (EpochRun run : List.copyOf(open)) {
      run.close();
    }
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("worker threads did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DataLoader{" + config.manifest() + ", batchSize=" + config.batchSize() + ", sampler=" + config.sampler()
        + ", transform=" + config.transform() + "}";
  }
}
