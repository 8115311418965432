package io.sluice.loader;

import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.fetch.ConcurrencyLimit;
import io.sluice.loader.fetch.FailurePolicy;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.fetch.SkippedSample;
import java.util.List;
import java.util.Objects;

/**
 * Reads a manifest's objects from a store, transforms them and hands out batches in a deterministic order.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder()
 *     .manifest(manifest).store(store)
 *     .transform(Images.decode(3).andThen(Images.resize(64, 64)).andThen(Images.imageToTensor(1 / 255f)))
 *     .batchSize(64).seed(42)
 *     .build();
 * model.fit(loader.asDataSetIterator(), 5);
 * }</pre>
 *
 * <p>Which samples land in which batch, and how each was augmented, depends only on the manifest, the
 * sampler, the seed and the epoch; never on thread timing. A loader owns a worker pool: close it when done.
 * It does not close the store.
 */
public interface DataLoader extends AutoCloseable {

  /** The front door. */
  static Builder builder() {
    return new Builder();
  }

  /** The manifest this loader reads. */
  Manifest manifest();

  /** The number of samples in a full batch. */
  int batchSize();

  /** The number of batches in each epoch; the last may be short. */
  int batchesPerEpoch();

  /**
   * Starts reading {@code epoch}: fetching begins at once, ahead of the first {@code next()}.
   *
   * @param epoch the epoch, from 0; it selects the shuffle and every per-sample random draw
   * @throws IllegalStateException if the loader is closed
   */
  BatchIterator epoch(int epoch);

  /**
   * A DL4J iterator over epochs 0, 1, 2, ...: {@code reset()} moves on to the next epoch once the current
   * one has handed out a batch (a reset of an untouched epoch keeps it), so {@code fit(iterator, n)} trains
   * on {@code n} differently shuffled epochs. A loader built with {@link Builder#resumeFrom} starts in the
   * saved epoch, at the saved position.
   */
  ResumableDataSetIterator asDataSetIterator();

  /**
   * A DL4J {@code MultiDataSetIterator} over epochs 0, 1, 2, ..., for a {@code ComputationGraph}: each
   * {@code MultiDataSet} holds the batch's inputs (features, then {@link Builder#extraInputs}) and its
   * {@link Builder#targets}, with a mask per target that leaves pad rows out. Epochs advance on
   * {@code reset()} as in {@link #asDataSetIterator()}.
   */
  ResumableMultiDataSetIterator asMultiDataSetIterator();

  /** What the loader has done since it was built, over all epochs. */
  LoaderStats stats();

  /** The samples skipped so far under {@link FailurePolicy#skip}, with the reason for each, oldest first. */
  List<SkippedSample> skipped();

  /** Cancels every open epoch and stops the worker threads. Idempotent. */
  @Override
  void close();

  /** Configures a {@link DataLoader}. Setters validate at once. */
  final class Builder {
    Manifest manifest;
    ObjectStore store;
    Transform<? super StoredObject, ? extends Features> transform;
    int batchSize = -1;
    long seed;
    boolean seedSet;
    Sampler sampler;
    Boolean shuffle; // set by shuffle(boolean), to refuse a sampler(...) as well
    String channel; // null: the manifest's own
    World world = World.single();
    Sharding sharding = Sharding.byKey();
    Remainder remainder = Remainder.PAD;
    LoaderState resume;
    ConcurrencyLimit concurrency = ConcurrencyLimit.adaptive(4, 32, 256);
    long maxBytesInFlight = 256L << 20;
    int prefetchBatches = 3;
    int workers = Runtime.getRuntime().availableProcessors();
    boolean ordered = true;
    FetchPolicy fetchPolicy = FetchPolicy.defaults();
    ObjectCache cache;
    ObjectCache prefixCache;
    List<Target> targets; // null: the label one-hot, written by the default path
    List<Target> extraInputs = List.of();
    EntryAttributes attributes;
    boolean uint8Features;

    private Builder() {}

    /**
     * Whether batches hold the features as uint8 rather than float32: a quarter of the memory and of the
     * bytes copied to a device. The chain must end in {@code Images.byteTensor()}; normalise after the
     * transfer, e.g. with {@link io.sluice.loader.dl4j.ByteImageNormalizer} as the iterator's pre-processor.
     * Default false.
     */
    public Builder uint8Features(boolean uint8Features) {
      this.uint8Features = uint8Features;
      return this;
    }

    /**
     * What each sample's targets are, in order; each batch holds one tensor per target (see {@link Batch}).
     * Default: {@link Target#oneHot()}, the entry's label over the manifest's classes. With no target at all
     * the loader reads for inference: batches hold features only, and entries without a label are read.
     *
     * @throws NullPointerException if a target is null
     */
    public Builder targets(Target... targets) {
      this.targets = List.of(targets);
      return this;
    }

    /**
     * Inputs each sample has besides the features the transform chain writes, e.g.
     * {@code Target.values("age", "weight")}: batches then hold several inputs; read them with
     * {@link DataLoader#asMultiDataSetIterator()}. Default none.
     *
     * @throws NullPointerException if an input is null
     */
    public Builder extraInputs(Target... inputs) {
      this.extraInputs = List.of(inputs);
      return this;
    }

    /**
     * The rest of each entry's manifest line, for targets and inputs that read attributes (multi-label class
     * lists, numeric values, boxes, mask references). Default none.
     */
    public Builder attributes(EntryAttributes attributes) {
      this.attributes = Objects.requireNonNull(attributes, "attributes");
      return this;
    }

    /** The entries to read. Required. */
    public Builder manifest(Manifest manifest) {
      this.manifest = Objects.requireNonNull(manifest, "manifest");
      return this;
    }

    /** Where the bytes come from. Required. The loader does not close it. */
    public Builder store(ObjectStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The chain from object bytes to a sample's features, e.g. decode, resize, to tensor. Required. */
    public Builder transform(Transform<? super StoredObject, ? extends Features> transform) {
      this.transform = Objects.requireNonNull(transform, "transform");
      return this;
    }

    /**
     * Samples per batch. Required.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The seed every shuffle and random transform derives from. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      this.seedSet = true;
      return this;
    }

    /** Which rank this process is, of how many. Default {@link World#single()}. */
    public Builder world(World world) {
      this.world = Objects.requireNonNull(world, "world");
      return this;
    }

    /** Shorthand for {@code world(World.of(rank, size))}. */
    public Builder world(int rank, int size) {
      return world(World.of(rank, size));
    }

    /** How the epoch is split among ranks. Default {@link Sharding#byKey()}. */
    public Builder sharding(Sharding sharding) {
      this.sharding = Objects.requireNonNull(sharding, "sharding");
      return this;
    }

    /** How ranks are kept at equal sample counts. Default {@link Remainder#PAD}. */
    public Builder remainder(Remainder remainder) {
      this.remainder = Objects.requireNonNull(remainder, "remainder");
      return this;
    }

    /**
     * Carry on where {@code state} was taken: the first epoch read is the saved one, from the saved position;
     * the seed is the saved one. The world size may differ (elastic resume).
     *
     * @throws SluiceException at {@link #build()} if the state is for another manifest, seed or sampling
     */
    public Builder resumeFrom(LoaderState state) {
      this.resume = Objects.requireNonNull(state, "state");
      return this;
    }

    /**
     * Which channel the manifest is: {@code "train"} is shuffled each epoch; any other ({@code "validation"},
     * {@code "test"}) is read in manifest order unless a {@link #sampler} is given. Default: the manifest's own
     * {@link Manifest#channel()} (from its channel field, else its file name, else {@code "train"}).
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder channel(String channel) {
      Objects.requireNonNull(channel, "channel");
      if (channel.isBlank()) {
        throw new IllegalArgumentException("channel must not be blank");
      }
      this.channel = channel;
      return this;
    }

    /**
     * How epochs order entries. Default {@link Sampler#shuffled()} for the train channel, else sequential. A sampler
     * must be a named class or record (not a lambda): a saved state records its {@link Sampler#id() identity}.
     *
     * @throws IllegalStateException if {@link #shuffle} was called: the two say the same thing two ways
     */
    public Builder sampler(Sampler sampler) {
      Objects.requireNonNull(sampler, "sampler");
      if (shuffle != null) {
        throw new IllegalStateException("sampler(" + sampler + ") and shuffle(" + shuffle + ") are mutually "
            + "exclusive: shuffle(true) is sampler(Sampler.shuffled()), shuffle(false) is sampler(Sampler.sequential())");
      }
      this.sampler = sampler;
      return this;
    }

    /**
     * Whether to shuffle each epoch: {@code true} is {@code sampler(Sampler.shuffled())}, {@code false} is
     * {@code sampler(Sampler.sequential())}.
     *
     * @throws IllegalStateException if {@link #sampler} was called
     */
    public Builder shuffle(boolean shuffle) {
      if (sampler != null) {
        throw new IllegalStateException("shuffle(" + shuffle + ") and sampler(" + sampler + ") are mutually "
            + "exclusive: shuffle(true) is sampler(Sampler.shuffled()), shuffle(false) is sampler(Sampler.sequential())");
      }
      this.sampler = shuffle ? Sampler.shuffled() : Sampler.sequential();
      this.shuffle = shuffle;
      return this;
    }

    /**
     * A fixed limit on objects being fetched at once: shorthand for
     * {@code concurrency(ConcurrencyLimit.fixed(maxInFlight))}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight <= 0) {
        throw new IllegalArgumentException("max in flight must be positive, was " + maxInFlight);
      }
      return concurrency(ConcurrencyLimit.fixed(maxInFlight));
    }

    /**
     * How many objects may be fetched at once. Default {@code ConcurrencyLimit.adaptive(4, 32, 256)}: starts at
     * 32, grows while the limit is used and latency holds, backs off when the store throttles.
     */
    public Builder concurrency(ConcurrencyLimit concurrency) {
      this.concurrency = Objects.requireNonNull(concurrency, "concurrency");
      return this;
    }

    /**
     * The most object bytes the loader holds at once, fetched or expected and not yet transformed. An
     * object's expected size is the manifest's record of it, else the mean size seen so far. Default 256 MB.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBytesInFlight(long maxBytesInFlight) {
      if (maxBytesInFlight <= 0) {
        throw new IllegalArgumentException("max bytes in flight must be positive, was " + maxBytesInFlight);
      }
      this.maxBytesInFlight = maxBytesInFlight;
      return this;
    }

    /**
     * Whether batches keep the sampler's order (default true). Unordered, samples fill batches in the order
     * their fetches complete: a slow object no longer holds up its batch, but which sample lands in which
     * batch then depends on timing. Each sample's augmentation still depends only on (seed, epoch, index).
     */
    public Builder ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    /** Retries, hedging, ranged reads and the failure policy. Default {@link FetchPolicy#defaults()}. */
    public Builder fetchPolicy(FetchPolicy fetchPolicy) {
      this.fetchPolicy = Objects.requireNonNull(fetchPolicy, "fetchPolicy");
      return this;
    }

    /**
     * A cache in front of the store, e.g. {@code ObjectCache.memory(2L << 30)}. Default none. The loader does
     * not close it, so one cache may serve several loaders.
     */
    public Builder cache(ObjectCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * Keeps the output of the chain's deterministic prefix (its steps up to the first random one, e.g.
     * {@code decode -> resizeShorterSide(256)}), encoded (8-bit pixels for images), in {@code cache}, keyed by the
     * object's URI, its ETag or version id and the prefix's {@link TransformKeys#cacheKey}. A sample whose prefix
     * output is cached makes no GET and no decode; only the random rest of the chain runs, drawing from (seed,
     * epoch, index) as always, so its batches are bit-identical to a run without the cache. An object whose ETag
     * changed misses. Use {@code ObjectCache.memory(bytes)} (Caffeine, weighed by bytes), {@code disk(dir, bytes)}
     * or {@code tiered(...)}; an RGB image kept at shorter side 256 (256x341 for 4:3) costs 262 KB. The loader does
     * not close the cache. Default none.
     *
     * @throws IllegalArgumentException at {@link #build()} if the chain has no deterministic prefix ending in a
     *     step whose output can be kept
     */
    public Builder prefixCache(ObjectCache cache) {
      this.prefixCache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * How many batches past the one the consumer holds may be filled ahead. Default 3.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder prefetchBatches(int prefetchBatches) {
      if (prefetchBatches <= 0) {
        throw new IllegalArgumentException("prefetch batches must be positive, was " + prefetchBatches);
      }
      this.prefetchBatches = prefetchBatches;
      return this;
    }

    /**
     * Threads that run the transform chain. Default: available processors.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder workers(int workers) {
      if (workers <= 0) {
        throw new IllegalArgumentException("workers must be positive, was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * Builds the loader and starts its worker threads.
     *
     * @throws IllegalStateException naming the first missing required setting
     * @throws IllegalArgumentException if the sampler or sharding is a lambda (its identity is not stable)
     * @throws SluiceException if a {@link #resumeFrom} state does not match this loader
     */
    public DataLoader build() {
      if (manifest == null) {
        throw new IllegalStateException("manifest is required");
      }
      if (store == null) {
        throw new IllegalStateException("store is required");
      }
      if (transform == null) {
        throw new IllegalStateException("transform is required");
      }
      if (batchSize <= 0) {
        throw new IllegalStateException("batch size is required");
      }
      return new StreamingLoader(this);
    }
  }
}
