package io.sluice.loader;

import io.sluice.loader.fetch.ConcurrencyLimit;
import io.sluice.loader.fetch.SkippedSample;
import io.sluice.loader.internal.BatchMemory;
import io.sluice.loader.internal.EngineClock;
import io.sluice.loader.internal.EpochRun;
import io.sluice.loader.internal.FetchChain;
import io.sluice.loader.internal.FetchLimiter;
import io.sluice.loader.internal.StatsRecorder;
import io.sluice.loader.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The {@link DataLoader}: reads its {@link DataLoader.Builder} directly (as Caffeine's caches read
 * {@code Caffeine}), owns the loader-wide parts (worker pool, timer, {@link FetchLimiter}, fetch chain, batch memory,
 * statistics) and opens one {@link EpochRun} per epoch read.
 */
final class StreamingLoader implements DataLoader {
  private static final AtomicInteger LOADERS = new AtomicInteger();

  private final Manifest manifest;
  private final int batchSize;
  private final long seed;
  private final Sampler sampler;
  private final Sharding sharding;
  private final Remainder remainder;
  private final World world;
  private final LoaderState resume;
  private final boolean ordered;
  private final ConcurrencyLimit concurrency;
  private final String description;
  private final StrategyId samplerId;
  private final StrategyId shardingId;

  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor timer;
  private final StatsRecorder stats;
  private final BatchMemory batchMemory;
  private final EpochRun.Recipe recipe;
  private final EpochRun.Shared shared;
  private final Set<EpochRun> open = ConcurrentHashMap.newKeySet();
  private final List<SkippedSample> skipped = new ArrayList<>();
  private final List<Target> targets;
  private volatile long[] sampleShape;
  private volatile boolean closed;
  // Guarded by this: the epoch after the last one opened by a DL4J iterator, started early (see openEpoch).
  private EpochRun ahead;

  StreamingLoader(DataLoader.Builder b) {
    this.manifest = b.manifest;
    this.batchSize = b.batchSize;
    String channel = b.channel != null ? b.channel : manifest.channel();
    this.sampler = b.sampler != null ? b.sampler : channel.equals("train") ? Sampler.shuffled() : Sampler.sequential();
    this.sharding = b.sharding;
    this.remainder = b.remainder;
    this.world = b.world;
    this.resume = b.resume;
    this.ordered = b.ordered;
    this.concurrency = b.concurrency;
    this.samplerId = sampler.id(); // refuses a lambda
    this.shardingId = sharding.id();
    this.seed = checkResume(b);
    this.description = "DataLoader{" + manifest + ", batchSize=" + batchSize + ", sampler=" + sampler + ", transform="
        + b.transform + (b.targets == null ? "" : ", targets=" + b.targets)
        + (b.extraInputs.isEmpty() ? "" : ", extraInputs=" + b.extraInputs) + ", concurrency=" + concurrency + "}";

    int id = LOADERS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    // Pool threads start lazily on whichever thread hands them work first, often a store's network thread; one made
    // by native code (the CRT HTTP client's) has no context class loader, and ND4J finds its backend through it.
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    this.workers = new ThreadPoolExecutor(b.workers, b.workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        r -> daemon(r, "sluice-" + id + "-worker-" + threads.incrementAndGet(), context));
    this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "sluice-" + id + "-timer", context));
    timer.setRemoveOnCancelPolicy(true);
    EngineClock clock = EngineClock.system(timer);
    FetchLimiter limiter = new FetchLimiter(concurrency, b.maxBytesInFlight, clock);
    this.stats = new StatsRecorder(null, limiter::limit);
    // batches being filled, the one being consumed, and a few waiting for the collector to find them unreachable
    this.batchMemory = new BatchMemory(b.prefetchBatches + 3);
    this.recipe = new EpochRun.Recipe(manifest, b.transform, batchSize, seed, b.prefetchBatches, ordered,
        b.fetchPolicy.onFailure(), b.prefixCache == null ? null : ChainPrefix.split(b.transform), b.prefixCache,
        b.targets, b.extraInputs, b.attributes, b.uint8Features);
    this.targets = b.targets;
    this.shared = new EpochRun.Shared(limiter, FetchChain.assemble(b.store, b.cache, b.fetchPolicy, clock, seed),
        workers, timer, batchMemory, stats, this::recordSkipped, this::sampleShape);
  }

  private static Thread daemon(Runnable r, String name, ClassLoader context) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.setContextClassLoader(context != null ? context : StreamingLoader.class.getClassLoader());
    return t;
  }

  /** The seed to use: the state's when resuming, after checking the state against this loader's settings. */
  private long checkResume(DataLoader.Builder b) {
    if (resume == null) {
      return b.seed;
    }
    String cannot = "cannot resume: the state was taken ";
    if (!resume.manifestDigest().equals(manifest.digest())) {
      throw new SluiceException(cannot + "reading manifest " + resume.manifestDigest() + " but this loader reads "
          + manifest + " with digest " + manifest.digest() + "; a changed manifest would silently read other samples");
    }
    if (b.seedSet && b.seed != resume.seed()) {
      throw new SluiceException("cannot resume: the state has seed " + resume.seed() + " but the builder was given "
          + b.seed + "; leave the seed unset to take the state's");
    }
    if (!resume.sampler().equals(samplerId)) {
      throw new SluiceException(cannot + "with sampler " + resume.sampler() + " but this loader uses " + samplerId);
    }
    if (!resume.sharding().equals(shardingId)) {
      throw new SluiceException(cannot + "with sharding " + resume.sharding() + " but this loader uses " + shardingId);
    }
    if (resume.remainder() != remainder) {
      throw new SluiceException(cannot + "with remainder " + resume.remainder() + " but this loader uses " + remainder);
    }
    if (resume.position() > manifest.size()) {
      throw new SluiceException("cannot resume: position " + resume.position() + " is past the manifest's "
          + manifest.size() + " entries");
    }
    return resume.seed();
  }

  /** The epoch a fresh iterator starts in: the resumed one (or the next, if the state is at its end), else 0. */
  int firstEpoch() {
    if (resume == null) {
      return 0;
    }
    return resume.position() >= manifest.size() ? resume.epoch() + 1 : resume.epoch();
  }

  /** Where epoch {@code epoch} starts: the resume position in the resumed epoch, else 0. */
  private long start(int epoch) {
    return resume != null && epoch == resume.epoch() && resume.position() < manifest.size() ? resume.position() : 0;
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int batchesPerEpoch() {
    int n = EpochPlan.samplesPerRank(manifest.size(), 0, world.size(), sharding.replicated(), remainder);
    return (n + batchSize - 1) / batchSize;
  }

  @Override
  public BatchIterator epoch(int epoch) {
    return openEpoch(epoch);
  }

  EpochRun openEpoch(int epoch) {
    return openEpoch(epoch, false);
  }

  /**
   * Opens epoch {@code epoch}, or hands over the one started early for it. When the next epoch will be read too
   * ({@code nextFollows}: the DL4J iterators move from epoch to epoch on {@code reset()}), epoch + 1 is started early
   * behind it (see {@link EpochRun#startAfter}), so the trainer does not wait for an empty pipeline at each epoch's
   * start. {@link #epoch(int)} opens one epoch and nothing after it: its caller's next move is unknown (a Spark
   * partition reads one epoch).
   */
  synchronized EpochRun openEpoch(int epoch, boolean nextFollows) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, was " + epoch);
    }
    if (closed) {
      throw new IllegalStateException("loader is closed");
    }
    EpochRun early = ahead;
    ahead = null;
    EpochRun run;
    if (early != null && early.epoch() == epoch) {
      run = early.adopt();
    } else {
      if (early != null) {
        early.close(); // another epoch was asked for: what it fetched is dropped
      }
      run = newRun(epoch).start();
    }
    if (nextFollows && epoch < Integer.MAX_VALUE) {
      ahead = newRun(epoch + 1).startAfter(run);
    }
    return run;
  }

  private EpochRun newRun(int epoch) {
    EpochPlan plan = EpochPlan.compute(manifest, sampler, sharding, remainder, seed, epoch, world, start(epoch));
    IntFunction<LoaderState> stateAt = !ordered ? null : perRank -> new LoaderState(manifest.digest(), seed, epoch,
        plan.globalPosition(perRank), world.size(), samplerId, shardingId, remainder);
    EpochRun run = new EpochRun(recipe, shared, epoch, plan, stateAt);
    open.add(run);
    run.onClose(() -> open.remove(run));
    return run;
  }

  private void sampleShape(long[] shape) {
    if (sampleShape == null) {
      sampleShape = shape;
    }
  }

  long[] knownSampleShape() {
    return sampleShape;
  }

  private void recordSkipped(SkippedSample sample) {
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
  public ResumableDataSetIterator asDataSetIterator() {
    return new LoaderDataSetIterator(this, firstEpoch());
  }

  @Override
  public ResumableMultiDataSetIterator asMultiDataSetIterator() {
    return new LoaderMultiDataSetIterator(this, firstEpoch());
  }

  /** The targets, or {@code null} for the default one-hot label. */
  List<Target> targets() {
    return targets;
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
    return description;
  }
}
