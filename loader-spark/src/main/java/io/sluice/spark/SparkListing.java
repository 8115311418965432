package io.sluice.spark;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.s3.S3Listing;
import io.sluice.s3.S3ObjectStore;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Lists everything under an S3 root over Spark, for buckets too large for one machine's listing: the driver discovers
 * the folders below the root ({@link S3Listing#plan}), executor tasks list them fully, each through a store made from
 * the serialisable {@link S3StoreSettings} and {@link Builder#concurrency} requests at a time, and the driver merges
 * what they found with the objects discovery met on the way, sorted by URI. The result equals
 * {@code S3Listing.list} (and a sequential listing) of the same root, so {@code ChannelSplit.split(listing)} writes
 * the same manifests as {@code sluice manifest build}.
 *
 * <pre>{@code
 * List<ObjectRef> listing = SparkListing.builder().store(settings).build().list(sc, "s3://bucket/images/");
 * }</pre>
 *
 * <p>Only ListObjectsV2 (no version ids). Each task returns its objects' URI, size and ETag to the driver, about
 * 150 bytes per object. Instances are immutable and thread-safe.
 */
public final class SparkListing {
  private final S3StoreSettings store;
  private final int tasks;
  private final int concurrency;
  private final int depth;

  private SparkListing(Builder b) {
    this.store = b.store;
    this.tasks = b.tasks;
    this.concurrency = b.concurrency;
    this.depth = b.depth;
  }

  /** Starts configuring; {@link Builder#store} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Lists every object under {@code rootUri} ({@code s3://bucket/prefix}).
   *
   * @return the objects sorted by URI, with size and ETag
   * @throws SluiceException naming the root or the prefix and the cause if discovery or a task's listing fails
   */
  public List<ObjectRef> list(JavaSparkContext sc, String rootUri) {
    Objects.requireNonNull(sc, "sc");
    Objects.requireNonNull(rootUri, "rootUri");
    int slices = tasks > 0 ? tasks : sc.defaultParallelism();
    S3Listing.Plan plan;
    try (S3ObjectStore driver = store.create()) {
      plan = S3Listing.builder().store(driver).concurrency(Math.min(1000, slices * concurrency)).depth(depth).build()
          .plan(rootUri).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof SluiceException s ? s
          : new SluiceException("cannot list " + rootUri + ": " + e.getCause(), rootUri, false, e.getCause());
    }
    List<ObjectRef> all = new ArrayList<>(plan.objects());
    if (!plan.prefixes().isEmpty()) {
      List<Listed> listed;
      try {
        listed = sc.parallelize(plan.prefixes(), Math.min(slices, plan.prefixes().size()))
            .mapPartitions(new ListPrefixes(store, concurrency)).collect();
      } catch (Exception e) { // Spark throws its checked SparkException without declaring it
        throw new SluiceException("cannot list " + rootUri + " over Spark: " + e.getMessage(), rootUri, false, e);
      }
      for (Listed l : listed) {
        all.add(new ObjectRef(l.uri(), l.size(), l.etag(), null));
      }
    }
    all.sort(Comparator.comparing(ObjectRef::uri));
    return all;
  }

  @Override
  public String toString() {
    return "SparkListing{" + store + ", tasks=" + (tasks > 0 ? tasks : "default parallelism") + ", concurrency="
        + concurrency + ", depth=" + depth + "}";
  }

  /** One object as a task sends it to the driver. */
  record Listed(String uri, long size, String etag) implements Serializable {}

  /** An executor task: lists its prefixes fully through a store of its own, closed when done. */
  private static final class ListPrefixes implements FlatMapFunction<Iterator<String>, Listed> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final S3StoreSettings settings;
    private final int concurrency;

    ListPrefixes(S3StoreSettings settings, int concurrency) {
      this.settings = settings;
      this.concurrency = concurrency;
    }

    @Override
    public Iterator<Listed> call(Iterator<String> prefixes) {
      List<String> mine = new ArrayList<>();
      prefixes.forEachRemaining(mine::add);
      List<ObjectRef> refs;
      try (S3ObjectStore store = settings.create()) {
        refs = S3Listing.builder().store(store).concurrency(concurrency).build().listFully(mine).join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof SluiceException s ? s
            : new SluiceException("cannot list " + mine + ": " + e.getCause(), String.valueOf(mine), false, e);
      }
      List<Listed> out = new ArrayList<>(refs.size());
      for (ObjectRef r : refs) {
        out.add(new Listed(r.uri(), r.size(), r.etag()));
      }
      return out.iterator();
    }
  }

  /** Configures a {@link SparkListing}. Not thread-safe. */
  public static final class Builder {
    private S3StoreSettings store;
    private int tasks;
    private int concurrency = 8;
    private int depth = 3;

    private Builder() {}

    /**
     * The S3 to list: the driver and every task build a store from these settings. Required.
     *
     * @throws NullPointerException if {@code store} is null
     */
    public Builder store(S3StoreSettings store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Spreads the prefixes over this many tasks. Default: the context's default parallelism (executors x cores).
     *
     * @throws IllegalArgumentException if {@code tasks} is not positive
     */
    public Builder tasks(int tasks) {
      if (tasks < 1) {
        throw new IllegalArgumentException("tasks must be positive, was " + tasks);
      }
      this.tasks = tasks;
      return this;
    }

    /**
     * Sets how many prefixes each task lists at once. Default 8.
     *
     * @throws IllegalArgumentException if {@code concurrency} is not between 1 and 1000
     */
    public Builder concurrency(int concurrency) {
      S3Listing.builder().concurrency(concurrency); // validates
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Sets how many folder levels below the root the driver may discover; see {@code S3Listing.Builder.depth}.
     * Default 3.
     *
     * @throws IllegalArgumentException if {@code depth} is not between 0 and 100
     */
    public Builder depth(int depth) {
      S3Listing.builder().depth(depth); // validates
      this.depth = depth;
      return this;
    }

    /**
     * The listing.
     *
     * @throws IllegalStateException if no store was set
     */
    public SparkListing build() {
      if (store == null) {
        throw new IllegalStateException("store is required: the S3StoreSettings of the bucket to list");
      }
      return new SparkListing(this);
    }
  }
}
