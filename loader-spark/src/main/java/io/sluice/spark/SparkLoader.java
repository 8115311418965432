package io.sluice.spark;

import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * Trains a {@link SparkDl4jMultiLayer} or {@link SparkComputationGraph} from a manifest: each Spark task streams a
 * range of one shard's batches from the store through Sluice's engine.
 *
 * <pre>{@code
 * SparkLoader data = SparkLoader.builder()
 *     .manifest(ManifestSource.at("s3://bucket/manifests/train.manifest"))
 *     .store(S3StoreSettings.builder().region("eu-west-1").build())
 *     .transform(() -> Images.decode(3).andThen(Images.resize(32, 32)).andThen(Images.imageToTensor(1 / 255f)))
 *     .batchSize(32).seed(42).shards(4)
 *     .build();
 * SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, conf, data.trainingMaster(5).build());
 * data.fit(net, 3);
 * }</pre>
 *
 * <p>How it maps onto dl4j-spark: an epoch is cut into rounds of {@code averagingFrequency} batches per shard.
 * For each round the driver makes an RDD of tiny descriptors, one per (epoch, shard, batch), {@code shards}
 * partitions with one shard's batches each, in order, and calls {@code fitPaths} with a loader that parses the
 * descriptors. dl4j-spark counts and splits that RDD of strings (no data is read), runs one task per shard, which
 * reads its batches through one Sluice loader, and averages the parameters. Every object of the epoch is fetched
 * once, by the task that trains on it; the batches are those a one-process loader with
 * {@code world(shard, shards)} gives (shuffled from (seed, epoch), by key, padded).
 */
public final class SparkLoader {
  private final ShardJob job;
  private final Manifest manifest;

  private SparkLoader(ShardJob job, Manifest manifest) {
    this.job = job;
    this.manifest = manifest;
  }

  /** The front door. */
  public static Builder builder() {
    return new Builder();
  }

  /** The manifest the driver planned with. */
  public Manifest manifest() {
    return manifest;
  }

  /** Shards (Spark tasks training at once, dl4j-spark's workers). */
  public int shards() {
    return job.shards();
  }

  /** Samples per batch. */
  public int batchSize() {
    return job.batchSize();
  }

  /** Batches each shard trains on in {@code epoch} (the same for every shard). */
  public int batchesPerShard(int epoch) {
    return RoundReader.batchCount(RoundReader.plan(manifest, job.seed(), epoch, 0, job.shards()).size(),
        job.batchSize());
  }

  /**
   * A parameter-averaging training master set up for this loader: {@code shards} workers, one batch per descriptor,
   * {@code batchSize} per worker, no re-partitioning (each partition is one shard's range, in order) and no
   * dl4j prefetch thread (Sluice prefetches). Add your own settings (updater averaging, hooks) before
   * {@code build()}.
   *
   * @param averagingFrequency batches each worker trains between two parameter averagings
   * @throws IllegalArgumentException if {@code averagingFrequency} is not positive
   */
  public ParameterAveragingTrainingMaster.Builder trainingMaster(int averagingFrequency) {
    if (averagingFrequency <= 0) {
      throw new IllegalArgumentException("averaging frequency must be positive, was " + averagingFrequency);
    }
    return new ParameterAveragingTrainingMaster.Builder(job.shards(), job.batchSize())
        .batchSizePerWorker(job.batchSize())
        .averagingFrequency(averagingFrequency)
        .workerPrefetchNumBatches(0)
        .repartionData(Repartition.NumPartitionsWorkersDiffers);
  }

  /** Trains {@code net} for epochs {@code 0..epochs-1}; returns what each epoch's loaders did. */
  public List<SparkEpochStats> fit(SparkDl4jMultiLayer net, int epochs) {
    List<SparkEpochStats> stats = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      stats.add(fitEpoch(net, epoch));
    }
    return stats;
  }

  /** Trains {@code graph} for epochs {@code 0..epochs-1}; returns what each epoch's loaders did. */
  public List<SparkEpochStats> fit(SparkComputationGraph graph, int epochs) {
    List<SparkEpochStats> stats = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      stats.add(fitEpoch(graph, epoch));
    }
    return stats;
  }

  /**
   * Trains {@code net} on {@code epoch}.
   *
   * @return what the executors' loaders did, summed over the epoch's tasks (Spark accumulators), with the workers'
   *     wait for data
   * @throws IllegalArgumentException if its training master does not match this loader
   * @throws org.apache.spark.SparkException (unchecked here) if a task fails, e.g. a sample that cannot be loaded:
   *     the message names the object's key and the cause
   */
  public SparkEpochStats fitEpoch(SparkDl4jMultiLayer net, int epoch) {
    return fitRounds(net.getSparkContext(), net.getTrainingMaster(), epoch, net::fitPaths);
  }

  /** Trains {@code graph} on {@code epoch}; as {@link #fitEpoch(SparkDl4jMultiLayer, int)}. */
  public SparkEpochStats fitEpoch(SparkComputationGraph graph, int epoch) {
    return fitRounds(graph.getSparkContext(), graph.getTrainingMaster(), epoch, graph::fitPaths);
  }

  /** Fits every round of {@code epoch} with {@code fitPaths}, counting what the executors' loaders do. */
  private SparkEpochStats fitRounds(JavaSparkContext sc, TrainingMaster<?, ?> master, int epoch,
      BiConsumer<JavaRDD<String>, DataSetLoader> fitPaths) {
    int frequency = averagingFrequency(master);
    long start = System.nanoTime();
    ShardCounters counters = ShardCounters.register(sc.sc(), epoch);
    for (JavaRDD<String> round : rounds(sc, epoch, frequency)) {
      fitPaths.accept(round, new ShardDataSetLoader(job, counters));
    }
    return counters.stats(epoch, job.shards(), System.nanoTime() - start);
  }

  /**
   * The descriptor RDDs of {@code epoch}, one per averaging round: {@code shards} partitions, partition {@code s}
   * holding shard {@code s}'s batches of the round in order.
   */
  public List<JavaRDD<String>> rounds(JavaSparkContext sc, int epoch, int averagingFrequency) {
    List<JavaRDD<String>> rounds = new ArrayList<>();
    for (List<String> paths : descriptors(epoch, averagingFrequency)) {
      rounds.add(sc.parallelize(paths, job.shards()));
    }
    return rounds;
  }

  /** The descriptor paths of each round of {@code epoch}, shard by shard (for tests and custom drivers). */
  public List<List<String>> descriptors(int epoch, int averagingFrequency) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative, was " + epoch);
    }
    int batches = batchesPerShard(epoch);
    List<List<String>> rounds = new ArrayList<>();
    for (int from = 0; from < batches; from += averagingFrequency) {
      int to = Math.min(batches, from + averagingFrequency);
      List<String> paths = new ArrayList<>();
      for (int shard = 0; shard < job.shards(); shard++) {
        for (int b = from; b < to; b++) {
          paths.add(new ShardBatch(job.digest(), epoch, shard, job.shards(), from, to, b).path());
        }
      }
      rounds.add(paths);
    }
    return rounds;
  }

  /**
   * The loader {@code fitPaths} calls on executors with the descriptor paths, for custom drivers; it counts nothing
   * ({@code fitEpoch} brings the executors' figures back).
   */
  public DataSetLoader dataSetLoader() {
    return new ShardDataSetLoader(job, null);
  }

  private int averagingFrequency(TrainingMaster<?, ?> master) {
    if (!(master instanceof ParameterAveragingTrainingMaster pa)) {
      throw new IllegalArgumentException("training master " + (master == null ? null : master.getClass().getName())
          + " is not supported: use SparkLoader.trainingMaster(averagingFrequency)");
    }
    if (pa.getNumWorkers() == null || pa.getNumWorkers() != job.shards()) {
      throw new IllegalArgumentException("the training master has " + pa.getNumWorkers() + " workers but this "
          + "loader has " + job.shards() + " shards: build it with SparkLoader.trainingMaster(averagingFrequency)");
    }
    if (pa.getRddDataSetNumExamples() != job.batchSize()) {
      throw new IllegalArgumentException("the training master expects " + pa.getRddDataSetNumExamples()
          + " examples per RDD element but each descriptor is one batch of " + job.batchSize()
          + ": build it with SparkLoader.trainingMaster(averagingFrequency)");
    }
    return pa.getAveragingFrequency();
  }

  @Override
  public String toString() {
    return "SparkLoader{" + job.manifest() + ", " + manifest.size() + " entries, batch " + job.batchSize()
        + ", seed " + job.seed() + ", " + job.shards() + " shards, store " + job.store() + "}";
  }

  /** Configures a {@link SparkLoader}. Setters validate at once. */
  public static final class Builder {
    private ManifestSource manifest;
    private StoreProvider store;
    private TransformProvider transform;
    private LoaderTuning tuning = LoaderTuning.defaults();
    private int batchSize = -1;
    private long seed;
    private int shards = -1;

    private Builder() {}

    /** Where the manifest is; the driver and every executor read it from the store. Required. */
    public Builder manifest(ManifestSource manifest) {
      this.manifest = Objects.requireNonNull(manifest, "manifest");
      return this;
    }

    /** The store's settings; the driver and each executor build a store from them. Required. */
    public Builder store(StoreProvider store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The recipe of the transform chain, run on executors. Required. */
    public Builder transform(TransformProvider transform) {
      this.transform = Objects.requireNonNull(transform, "transform");
      return this;
    }

    /** Loader settings for each executor task (concurrency, retries, skip policy...). Default: the loader's. */
    public Builder tuning(LoaderTuning tuning) {
      this.tuning = Objects.requireNonNull(tuning, "tuning");
      return this;
    }

    /**
     * Samples per batch (per worker). Required.
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

    /** The seed of every shuffle and random transform. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * How many shards the epoch is dealt into: the number of Spark tasks that train at once (dl4j-spark's workers),
     * typically executors x cores. Required.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder shards(int shards) {
      if (shards <= 0) {
        throw new IllegalArgumentException("shards must be positive, was " + shards);
      }
      this.shards = shards;
      return this;
    }

    /**
     * Reads the manifest on the driver (to plan epochs and take its digest) and builds the loader.
     *
     * @throws IllegalStateException naming the first missing required setting
     * @throws SluiceException if the manifest cannot be read
     */
    public SparkLoader build() {
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
      if (shards <= 0) {
        throw new IllegalStateException("shards is required");
      }
      Manifest read;
      try (ObjectStore driverStore = store.create()) {
        read = manifest.read(driverStore);
      } catch (SluiceException e) {
        throw e;
      } catch (Exception e) {
        throw new SluiceException("cannot read manifest " + manifest + ": " + e.getMessage(), e);
      }
      if (read.size() == 0) {
        throw new SluiceException("manifest " + manifest + " has no entries");
      }
      return new SparkLoader(new ShardJob(manifest, read.digest(), store, transform, tuning, batchSize, seed, shards),
          read);
    }
  }
}
