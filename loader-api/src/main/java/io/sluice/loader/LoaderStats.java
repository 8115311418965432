package io.sluice.loader;

import java.time.Duration;

/**
 * An immutable snapshot of what a loader (or one epoch of it) has done.
 *
 * @param samples samples delivered in batches
 * @param batches batches delivered
 * @param bytes object bytes fetched
 * @param gets objects fetched
 * @param waitNanos time the consumer spent blocked waiting for a batch
 * @param elapsedNanos wall time covered by this snapshot
 * @param inFlight fetches and transforms under way when the snapshot was taken
 */
public record LoaderStats(long samples, long batches, long bytes, long gets, long waitNanos, long elapsedNanos,
    int inFlight) {

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

  /** What happened between {@code earlier} and this snapshot (in flight is this snapshot's). */
  public LoaderStats since(LoaderStats earlier) {
    return new LoaderStats(samples - earlier.samples, batches - earlier.batches, bytes - earlier.bytes,
        gets - earlier.gets, waitNanos - earlier.waitNanos, elapsedNanos - earlier.elapsedNanos, inFlight);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "%d samples in %d batches, %.1f samples/s, %.1f MB in %d GETs, waited %d ms of %d ms (%.0f%%), %d in flight",
        samples, batches, samplesPerSecond(), bytes / 1e6, gets, waitNanos / 1_000_000, elapsedNanos / 1_000_000,
        waitFraction() * 100, inFlight);
  }
}
