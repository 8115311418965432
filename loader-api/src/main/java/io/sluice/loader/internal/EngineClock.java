package io.sluice.loader.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine's time: what "now" is and how to run something later. Backoffs, hedges and the retry budget read
 * time only through this, so tests drive them with a manual clock and never sleep.
 */
public interface EngineClock {

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Runs {@code task} once, {@code delayNanos} from now.
   *
   * @throws RejectedExecutionException if the clock is shut down (its loader closed)
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A task scheduled with {@link #schedule}. */
  interface Cancellable {
    /** Stops the task if it has not run yet; it then holds nothing. */
    void cancel();
  }

  /** System time, with tasks run on {@code timer}. */
  static EngineClock system(ScheduledExecutorService timer) {
    return new EngineClock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }
    };
  }
}
