package io.sluice.spark;

import io.sluice.loader.LoaderStats;
import java.io.Serial;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * One epoch's Spark accumulators, registered on the driver and shipped inside the tasks' {@link ShardDataSetLoader}:
 * each task adds what its loaders did, Spark merges the additions of successful tasks back on the driver.
 */
final class ShardCounters implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  private final LongAccumulator samples;
  private final LongAccumulator batches;
  private final LongAccumulator skipped;
  private final LongAccumulator gets;
  private final LongAccumulator bytes;
  private final LongAccumulator retries;
  private final LongAccumulator hedges;
  private final LongAccumulator throttled;
  private final LongAccumulator waitNanos;

  private ShardCounters(SparkContext sc, String prefix) {
    samples = sc.longAccumulator(prefix + "samples");
    batches = sc.longAccumulator(prefix + "batches");
    skipped = sc.longAccumulator(prefix + "skipped");
    gets = sc.longAccumulator(prefix + "GETs");
    bytes = sc.longAccumulator(prefix + "bytes");
    retries = sc.longAccumulator(prefix + "retries");
    hedges = sc.longAccumulator(prefix + "hedges");
    throttled = sc.longAccumulator(prefix + "throttled");
    waitNanos = sc.longAccumulator(prefix + "data wait ns");
  }

  /** Registers the accumulators of {@code epoch} (named, so Spark's UI shows them). */
  static ShardCounters register(SparkContext sc, int epoch) {
    return new ShardCounters(sc, "sluice epoch " + epoch + " ");
  }

  /** A batch of {@code rows} handed to a worker after it waited {@code nanos} for it. */
  void batch(int rows, long nanos) {
    samples.add(rows);
    batches.add(1);
    waitNanos.add(nanos);
  }

  /** What one of a task's loaders did, counted when it closes. */
  void loader(LoaderStats stats) {
    skipped.add(stats.skipped());
    gets.add(stats.gets());
    bytes.add(stats.bytes());
    retries.add(stats.retries());
    hedges.add(stats.hedges());
    throttled.add(stats.throttled());
  }

  /** The totals, read on the driver after the epoch's jobs ended. */
  SparkEpochStats stats(int epoch, int shards, long elapsedNanos) {
    return new SparkEpochStats(epoch, shards, samples.value(), batches.value(), skipped.value(), gets.value(),
        bytes.value(), retries.value(), hedges.value(), throttled.value(), waitNanos.value(), elapsedNanos);
  }
}
