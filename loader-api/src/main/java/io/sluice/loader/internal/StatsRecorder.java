package io.sluice.loader.internal;

import io.sluice.loader.LoaderStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counts what a loader or an epoch does; {@link #snapshot()} freezes it. Thread-safe. */
final class StatsRecorder {
  private final long startNanos = System.nanoTime();
  private final LongAdder samples = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder gets = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();

  void fetched(long size) {
    gets.increment();
    bytes.add(size);
  }

  void delivered(int batchSize, long waited) {
    batches.increment();
    samples.add(batchSize);
    waitNanos.add(waited);
  }

  void inFlight(int delta) {
    inFlight.addAndGet(delta);
  }

  LoaderStats snapshot() {
    return new LoaderStats(samples.sum(), batches.sum(), bytes.sum(), gets.sum(), waitNanos.sum(),
        System.nanoTime() - startNanos, inFlight.get());
  }
}
