package io.sluice.loader.internal;

import io.sluice.loader.Latency;
import io.sluice.loader.LoaderStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Counts what a loader or an epoch does; {@link #snapshot()} freezes it. Thread-safe.
 *
 * <p>An epoch's recorder forwards everything to its loader's, so both see the same events.
 */
public final class StatsRecorder {
  private final StatsRecorder parent;
  private final IntSupplier limit;
  private final long startNanos = System.nanoTime();
  private final LongAdder samples = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder gets = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final AtomicLongArray getLatency = new AtomicLongArray(bucketCount());
  private final LongAdder retries = new LongAdder();
  private final LongAdder hedges = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder cacheMisses = new LongAdder();
  private final LongAdder prefixHits = new LongAdder();
  private final LongAdder prefixMisses = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong bytesInFlight = new AtomicLong();
  private final AtomicLongArray wait = new AtomicLongArray(bucketCount());
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder batchBuffersMapped = new LongAdder();
  private final LongAdder batchBuffersReused = new LongAdder();

  public StatsRecorder(StatsRecorder parent, IntSupplier limit) {
    this.parent = parent;
    this.limit = limit;
  }

  private static int bucketCount() {
    return Latency.bucket(Long.MAX_VALUE) + 1;
  }

  void request(long latencyNanos, long received, boolean wasThrottled) {
    gets.increment();
    bytes.add(received);
    getLatency.incrementAndGet(Latency.bucket(latencyNanos));
    if (wasThrottled) {
      throttled.increment();
    }
    if (parent != null) {
      parent.request(latencyNanos, received, wasThrottled);
    }
  }

  void retry() {
    retries.increment();
    if (parent != null) {
      parent.retry();
    }
  }

  void hedge() {
    hedges.increment();
    if (parent != null) {
      parent.hedge();
    }
  }

  void cache(boolean hit) {
    (hit ? cacheHits : cacheMisses).increment();
    if (parent != null) {
      parent.cache(hit);
    }
  }

  void prefix(boolean hit) {
    (hit ? prefixHits : prefixMisses).increment();
    if (parent != null) {
      parent.prefix(hit);
    }
  }

  void skipped() {
    skipped.increment();
    if (parent != null) {
      parent.skipped();
    }
  }

  void delivered(int rows, long waited) {
    batches.increment();
    samples.add(rows);
    waitNanos.add(waited);
    wait.incrementAndGet(Latency.bucket(waited));
    if (parent != null) {
      parent.delivered(rows, waited);
    }
  }

  void inFlight(int delta) {
    inFlight.addAndGet(delta);
    if (parent != null) {
      parent.inFlight(delta);
    }
  }

  void bytesInFlight(long delta) {
    bytesInFlight.addAndGet(delta);
    if (parent != null) {
      parent.bytesInFlight(delta);
    }
  }

  private static Latency freeze(AtomicLongArray counts) {
    long[] c = new long[counts.length()];
    for (int i = 0; i < c.length; i++) {
      c[i] = counts.get(i);
    }
    return Latency.ofCounts(c);
  }

  /** Counts one batch tensor: over reused memory or newly mapped. */
  void batchBuffer(boolean reused) {
    (reused ? batchBuffersReused : batchBuffersMapped).increment();
    if (parent != null) {
      parent.batchBuffer(reused);
    }
  }

  public LoaderStats snapshot() {
    return new LoaderStats(samples.sum(), batches.sum(), skipped.sum(), gets.sum(), bytes.sum(), freeze(getLatency),
        retries.sum(), hedges.sum(), throttled.sum(), cacheHits.sum(), cacheMisses.sum(), (int) inFlight.get(),
        limit.getAsInt(), bytesInFlight.get(), freeze(wait), waitNanos.sum(), System.nanoTime() - startNanos,
        batchBuffersMapped.sum(), batchBuffersReused.sum(), prefixHits.sum(), prefixMisses.sum());
  }
}
