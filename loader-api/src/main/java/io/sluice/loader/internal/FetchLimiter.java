package io.sluice.loader.internal;

import io.sluice.loader.fetch.ConcurrencyLimit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Admission to the store, loader-wide, counted in one unit: <b>objects</b>.
 *
 * <p>A permit is one object being fetched, from admission until its bytes arrive or its fetch fails, however many
 * HTTP requests that takes (retries, hedged twins, ranged parts). The {@link ConcurrencyLimit} caps these permits
 * and learns from the same unit: one sample per object when its permit is released, with the object's latency
 * (admission to completion) and whether the store throttled any of its requests. An object served from a cache
 * without any request teaches it nothing.
 *
 * <p>It also owns the bytes budget: object bytes held, expected (the manifest's recorded size, else the mean seen
 * so far) from admission, then actual once fetched, until the sample is transformed. An object is always admitted
 * when no bytes are held, so an object larger than the budget still makes progress, alone.
 *
 * <p>Whoever waits for capacity registers a listener; every release calls them all (outside the lock).
 */
public final class FetchLimiter {
  private static final long INITIAL_SIZE_GUESS = 64 << 10;

  private final ConcurrencyLimit limit;
  private final long maxBytes;
  private final EngineClock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  // Guarded by this.
  private int objects;
  private long bytes;
  private long observedBytes;
  private long observedObjects;

  public FetchLimiter(ConcurrencyLimit limit, long maxBytes, EngineClock clock) {
    this.limit = limit;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  /** One admitted object: hand it back with {@link #fetched} or {@link #failed}, then {@link #releaseBytes}. */
  public final class Permit {
    private final long startNanos = clock.nanoTime();
    private final int inFlightAtStart;
    private long held;
    private boolean fetchDone;

    private Permit(int inFlightAtStart, long expectedBytes) {
      this.inFlightAtStart = inFlightAtStart;
      this.held = expectedBytes;
    }

    /** The bytes this object holds against the budget now. */
    public synchronized long heldBytes() {
      return held;
    }
  }

  /**
   * Admits one object if the limit and the budget allow.
   *
   * @param recordedSize the object's size as the manifest records it, or -1
   * @return the permit, or {@code null} if there is no room now (a listener hears when there is)
   */
  public synchronized Permit tryAcquire(long recordedSize) {
    long expected = recordedSize >= 0 ? recordedSize
        : observedObjects == 0 ? INITIAL_SIZE_GUESS : observedBytes / observedObjects;
    if (objects >= limit.limit() || (bytes > 0 && bytes + expected > maxBytes)) {
      return null;
    }
    objects++;
    bytes += expected;
    return new Permit(objects, expected);
  }

  /**
   * The object's bytes arrived: its permit is free, its bytes held are now its actual size.
   *
   * @param learn whether the limit learns from it (false for an object served from a cache without a request)
   */
  public void fetched(Permit permit, long actualBytes, boolean learn, boolean throttled) {
    synchronized (this) {
      observedBytes += actualBytes;
      observedObjects++;
    }
    finish(permit, actualBytes, learn, throttled);
  }

  /** The object's fetch failed for good (or was cancelled): its permit is free; its bytes stay held until released. */
  public void failed(Permit permit, boolean learn, boolean throttled) {
    finish(permit, -1, learn, throttled);
  }

  private void finish(Permit permit, long actualBytes, boolean learn, boolean throttled) {
    long latency = clock.nanoTime() - permit.startNanos;
    synchronized (permit) {
      if (permit.fetchDone) {
        throw new IllegalStateException("permit released twice");
      }
      permit.fetchDone = true;
    }
    synchronized (this) {
      objects--;
      if (actualBytes >= 0) {
        synchronized (permit) {
          bytes += actualBytes - permit.held;
          permit.held = actualBytes;
        }
      }
    }
    if (learn) {
      limit.onSample(latency, permit.inFlightAtStart, throttled);
    }
    signal();
  }

  /** The sample is done with its bytes (transformed, skipped or dropped). Idempotent per permit. */
  public void releaseBytes(Permit permit) {
    long held;
    synchronized (permit) {
      held = permit.held;
      permit.held = 0;
    }
    if (held != 0) {
      synchronized (this) {
        bytes -= held;
      }
      signal();
    }
  }

  /** Calls {@code listener} after every release, until {@link #unlisten}. */
  public void listen(Runnable listener) {
    listeners.add(listener);
  }

  public void unlisten(Runnable listener) {
    listeners.remove(listener);
  }

  private void signal() {
    for (Runnable l : listeners) {
      l.run();
    }
  }

  /** Objects being fetched now. */
  public synchronized int objectsInFlight() {
    return objects;
  }

  /** Object bytes held now. */
  public synchronized long bytesHeld() {
    return bytes;
  }

  /** The concurrency limit now, in objects. */
  public int limit() {
    return limit.limit();
  }
}
