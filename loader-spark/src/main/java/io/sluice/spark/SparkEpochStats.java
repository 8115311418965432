package io.sluice.spark;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * What the executors' loaders did in one epoch of Spark training, summed over every task (brought back to the driver
 * by Spark accumulators), and how long the epoch took on the driver.
 *
 * <p>{@code dataWaitNanos} is the time dl4j-spark's workers spent inside Sluice's {@code load} call, waiting for
 * their next batch: the time a trainer stood idle for data, first batch of each round included. Divided by the
 * time the epoch's shards had ({@code shards x elapsed}) it is {@link #waitFraction()}.
 *
 * @param epoch the epoch
 * @param shards the shards (tasks training at once)
 * @param samples rows handed to the workers (pads and masked fill-ins included)
 * @param batches batches handed to the workers
 * @param skipped samples skipped under {@code FailurePolicy.skip}
 * @param gets GET requests the executors sent (retries, hedges and ranged parts included)
 * @param bytes object bytes the executors received
 * @param retries requests re-sent after a failure
 * @param hedges second requests sent for slow GETs
 * @param throttled requests the store answered with "slow down"
 * @param dataWaitNanos time the workers spent waiting for batches, summed over tasks
 * @param elapsedNanos the epoch's wall time on the driver (every round's {@code fitPaths}, averaging included)
 */
public record SparkEpochStats(int epoch, int shards, long samples, long batches, long skipped, long gets, long bytes,
    long retries, long hedges, long throttled, long dataWaitNanos, long elapsedNanos) implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  /** Rows trained per second of the epoch's wall time. */
  public double samplesPerSecond() {
    return elapsedNanos <= 0 ? 0 : samples * 1e9 / elapsedNanos;
  }

  /** The workers' total wait for data. */
  public Duration dataWait() {
    return Duration.ofNanos(dataWaitNanos);
  }

  /** The epoch's wall time on the driver. */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos);
  }

  /**
   * The share of the shards' time spent waiting for data, from 0 to 1: {@code dataWait / (shards x elapsed)}. The
   * rest went to training, parameter averaging and Spark's own scheduling.
   */
  public double waitFraction() {
    return elapsedNanos <= 0 ? 0 : Math.min(1.0, dataWaitNanos / ((double) shards * elapsedNanos));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "epoch %d: %d samples in %d batches (%d skipped) over %d shards in %.1f s, "
            + "%.1f samples/s; %d GETs, %.1f MB, %d retries, %d hedges, %d throttled; data wait %.1f s (%.1f%% of the shards' "
            + "time)", epoch, samples, batches, skipped, shards, elapsedNanos / 1e9, samplesPerSecond(), gets,
        bytes / 1e6, retries, hedges, throttled, dataWaitNanos / 1e9, waitFraction() * 100);
  }
}
