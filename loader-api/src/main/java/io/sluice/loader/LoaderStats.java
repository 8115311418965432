package io.sluice.loader;

import java.time.Duration;
import java.util.Locale;

/**
 * An immutable snapshot of what a loader (or one epoch of it) has done: where the time goes.
 *
 * <p>Take two snapshots and subtract them with {@link #since} to see one interval.
 *
 * @param samples samples delivered in batches
 * @param batches batches delivered
 * @param skipped samples skipped under {@code FailurePolicy.skip}
 * @param gets GET requests sent to the store (retries, hedges and ranged parts included)
 * @param bytes object bytes received from the store
 * @param getLatency how long GET requests took
 * @param retries requests re-sent after a failure
 * @param hedges second requests sent for slow GETs
 * @param throttled requests the store answered with "slow down" (503 SlowDown, 429)
 * @param cacheHits objects served from the cache
 * @param cacheMisses objects looked up in the cache and not found
 * @param inFlight objects being fetched or transformed when the snapshot was taken
 * @param concurrencyLimit the concurrency limit (objects being fetched at once) when the snapshot was taken
 * @param bytesInFlight object bytes held by the loader (fetched or expected, not yet transformed)
 * @param waitLatency how long each {@code next()} waited for its batch
 * @param waitNanos the total time the consumer spent waiting for data
 * @param elapsedNanos wall time covered by this snapshot
 * @param batchBuffersMapped batch tensors whose memory was newly mapped (each costs page faults: about 9,400 for a
 *     batch of 64 RGB 224x224 images)
 * @param batchBuffersReused batch tensors that reused memory of batches found unreachable; if few are, the
 *     collector runs too rarely for the pool to help: a smaller young generation ({@code -Xmn256m}) makes it run
 *     more often
 * @param prefixHits samples whose deterministic prefix output came from the prefix cache (no GET, no decode)
 * @param prefixMisses samples looked up in the prefix cache and computed afresh
 */
public record LoaderStats(long samples, long batches, long skipped, long gets, long bytes, Latency getLatency,
    long retries, long hedges, long throttled, long cacheHits, long cacheMisses, int inFlight, int concurrencyLimit,
    long bytesInFlight, Latency waitLatency, long waitNanos, long elapsedNanos, long batchBuffersMapped,
    long batchBuffersReused, long prefixHits, long prefixMisses) {

  /** Samples delivered per second of wall time, or 0 when no time has passed. */
  public double samplesPerSecond() {
    return elapsedNanos <= 0 ? 0 : samples * 1e9 / elapsedNanos;
  }

  /** Time the consumer spent waiting for data. */
  public Duration waitTime() {
    return Duration.ofNanos(waitNanos);
  }

  /** Wall time covered. */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos);
  }

  /** The share of wall time the consumer spent waiting for data, from 0 to 1. */
  public double waitFraction() {
    return elapsedNanos <= 0 ? 0 : Math.min(1.0, (double) waitNanos / elapsedNanos);
  }

  /** What happened between {@code earlier} and this snapshot; gauges (in flight, limit) are this snapshot's. */
  public LoaderStats since(LoaderStats earlier) {
    return new LoaderStats(samples - earlier.samples, batches - earlier.batches, skipped - earlier.skipped,
        gets - earlier.gets, bytes - earlier.bytes, getLatency.since(earlier.getLatency), retries - earlier.retries,
        hedges - earlier.hedges, throttled - earlier.throttled, cacheHits - earlier.cacheHits,
        cacheMisses - earlier.cacheMisses, inFlight, concurrencyLimit, bytesInFlight, waitLatency.since(earlier.waitLatency),
        waitNanos - earlier.waitNanos, elapsedNanos - earlier.elapsedNanos,
        batchBuffersMapped - earlier.batchBuffersMapped, batchBuffersReused - earlier.batchBuffersReused,
        prefixHits - earlier.prefixHits, prefixMisses - earlier.prefixMisses);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "%d samples in %d batches (%d skipped), %.1f samples/s; %d GETs, %.1f MB, GET %s; %d retries, %d hedges, "
            + "%d throttled; cache %d hits, %d misses; waited %d ms of %d ms (%.1f%%), wait %s; "
            + "%d in flight, limit %d; batch memory %d mapped, %d reused; prefix cache %d hits, %d misses",
        samples, batches, skipped, samplesPerSecond(), gets, bytes / 1e6, getLatency, retries, hedges, throttled,
        cacheHits, cacheMisses, waitNanos / 1_000_000, elapsedNanos / 1_000_000, waitFraction() * 100, waitLatency,
        inFlight, concurrencyLimit, batchBuffersMapped, batchBuffersReused, prefixHits, prefixMisses);
  }
}
