package io.sluice.loader.testing;

import io.sluice.loader.internal.EngineClock;
import java.util.PriorityQueue;

/**
 * An {@link EngineClock} whose time moves only when a test says so: {@link #advance} runs the tasks that fall due,
 * in time order, on the caller's thread. Backoff and hedge tests run with it in microseconds and cannot flake.
 */
public final class ManualClock implements EngineClock {
  private long now = 1_000_000_000L;
  private long sequence;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();

  private final class Task implements Comparable<Task>, Cancellable {
    final long due;
    final long order = sequence++;
    final Runnable action;
    boolean cancelled;

    Task(long due, Runnable action) {
      this.due = due;
      this.action = action;
    }

    @Override
    public int compareTo(Task o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
    }

    @Override
    public void cancel() {
      synchronized (ManualClock.this) {
        cancelled = true;
        tasks.remove(this);
      }
    }
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    Task t = new Task(now + Math.max(0, delayNanos), task);
    tasks.add(t);
    return t;
  }

  /** Moves time forward by {@code nanos}, running every task that falls due on the way. */
  public void advance(long nanos) {
    long target;
    synchronized (this) {
      target = now + nanos;
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.due);
      }
      next.action.run();
    }
  }

  /** Tasks waiting to run. */
  public synchronized int pending() {
    return tasks.size();
  }
}
