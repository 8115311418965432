package io.sluice.loader.internal;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.EpochPlan;
import io.sluice.loader.LoaderState;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.Remainder;
import io.sluice.loader.ResumableDataSetIterator;
import io.sluice.loader.Sharding;
import io.sluice.loader.World;
import io.sluice.loader.Sampler;
import io.sluice.loader.Transform;
import io.sluice.loader.fetch.ConcurrencyLimit;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.fetch.SkippedSample;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The {@link DataLoader} implementation. Not API: build loaders with {@link DataLoader#builder()}. */
public final class PipelinedLoader implements DataLoader {
  private static final AtomicInteger LOADERS = new AtomicInteger();
  private static final long INITIAL_SIZE_GUESS = 64 << 10;

  /** The builder's settings, validated. {@code cache} may be null. */
  public record Config(Manifest manifest, ObjectStore store, Transform<? super StoredObject, ? extends Features> transform,
      int batchSize, long seed, Sampler sampler, ConcurrencyLimit concurrency, long maxBytesInFlight,
      int prefetchBatches, int workers, boolean ordered, FetchPolicy fetchPolicy, ObjectCache cache, World world,
      Sharding sharding, Remainder remainder, String sampling, LoaderState resume) {

    /** The epoch a fresh iterator starts in: the resumed one (or the next, if the state is at its end), else 0. */
    int firstEpoch() {
      if (resume == null) {
        return 0;
      }
      return resume.position() >= manifest.size() ? resume.epoch() + 1 : resume.epoch();
    }

    /** Where epoch {@code epoch} starts: the resume position in the resumed epoch, else 0. */
    long start(int epoch) {
      return resume != null && epoch == resume.epoch() && resume.position() < manifest.size() ? resume.position() : 0;
    }
  }

  private final Config config;
  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor timer;
  private final FetchGate gate;
  private final Fetcher fetcher;
  private final BatchMemory batchMemory;
  private final Set<EpochRun> open = ConcurrentHashMap.newKeySet();
  private final List<SkippedSample> skipped = new ArrayList<>();
  final StatsRecorder stats;
  private final AtomicLong observedBytes = new AtomicLong();
  private final AtomicLong observedObjects = new AtomicLong();
  private volatile long[] sampleShape;
  private volatile boolean closed;

  /** Starts the worker pool and the timer thread. */
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
    this.timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "sluice-" + id + "-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    this.gate = new FetchGate(config.concurrency(), config.maxBytesInFlight());
    this.stats = new StatsRecorder(null, gate::limit);
    // batches being filled, the one being consumed, and a few waiting for the collector to find them unreachable
    this.batchMemory = new BatchMemory(config.prefetchBatches() + 3);
    this.fetcher = new Fetcher(config.store(), config.cache(), config.fetchPolicy(), config.concurrency(), timer,
        config.seed());
  }

  Config config() {
    return config;
  }

  ExecutorService workers() {
    return workers;
  }

  FetchGate gate() {
    return gate;
  }

  Fetcher fetcher() {
    return fetcher;
  }

  /** The bytes to reserve for an object: its recorded size, else the mean size seen so far. */
  long expectedBytes(long recordedSize) {
    if (recordedSize >= 0) {
      return recordedSize;
    }
    long n = observedObjects.get();
    return n == 0 ? INITIAL_SIZE_GUESS : observedBytes.get() / n;
  }

  void observedSize(long size) {
    observedBytes.addAndGet(size);
    observedObjects.incrementAndGet();
  }

  /**
   * Lets {@code run} start what the bounds now allow, on the loader's timer thread rather than the caller's:
   * issuing a batch's worth of requests costs the S3 client several milliseconds of CPU (building and signing
   * each request), which the trainer's thread should not pay in {@code next()}.
   */
  void pumpSoon(EpochRun run) {
    try {
      timer.execute(run::pump);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the loader is closing: nothing more to start
    }
  }

  /** Lets every open epoch start what the bounds now allow (a fetch permit or bytes were freed). */
  void pumpAll() {
    for (EpochRun run : open) {
      run.pump();
    }
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

  void recordSkipped(SkippedSample sample) {
    synchronized (skipped) {
      skipped.add(sample);
    }
  }

  @Override
  public List<SkippedSample> skipped() {
    synchronized (skipped) {
      return List.copyOf(skipped);
    }
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
    int n = plan(config.firstEpoch() + 1).size();
    return (n + config.batchSize() - 1) / config.batchSize();
  }

  /** This rank's plan for {@code epoch}. */
  EpochPlan plan(int epoch) {
    return EpochPlan.compute(config.manifest(), config.sampler(), config.sharding(), config.remainder(), config.seed(),
        epoch, config.world(), config.start(epoch));
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
    run.pump();
    return run;
  }

  BatchMemory batchMemory() {
    return batchMemory;
  }

  @Override
  public ResumableDataSetIterator asDataSetIterator() {
    return new LoaderDataSetIterator(this, config.firstEpoch());
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
    timer.shutdownNow();
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS) || !timer.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("loader threads did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      batchMemory.close();
    }
  }

  @Override
  public String toString() {
    return "DataLoader{" + config.manifest() + ", batchSize=" + config.batchSize() + ", sampler=" + config.sampler()
        + ", transform=" + config.transform() + ", concurrency=" + config.concurrency() + "}";
  }
}
