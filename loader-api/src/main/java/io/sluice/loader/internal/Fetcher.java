package io.sluice.loader.internal;

import io.sluice.loader.SluiceException;
import io.sluice.loader.fetch.ConcurrencyLimit;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.store.ThrottledException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The only part of the loader that talks to the store. Layers, outermost first: cache, ranged reads of large
 * objects, retries with jittered exponential backoff and hedged requests, metering.
 *
 * <p>Nothing here blocks: backoffs and hedge delays are timer tasks, and every step continues from the
 * completion of the one before.
 */
final class Fetcher {
  private final ObjectStore store;
  private final ObjectCache cache;
  private final FetchPolicy policy;
  private final ConcurrencyLimit limit;
  private final ScheduledExecutorService timer;
  private final SplittableRandom jitter;
  private final AtomicInteger requestsInFlight = new AtomicInteger();

  Fetcher(ObjectStore store, ObjectCache cache, FetchPolicy policy, ConcurrencyLimit limit,
      ScheduledExecutorService timer, long seed) {
    this.store = store;
    this.cache = cache;
    this.policy = policy;
    this.limit = limit;
    this.timer = timer;
    this.jitter = new SplittableRandom(Seeds.mix(seed ^ 0x6A09E667F3BCC909L));
  }

  /** Fetches {@code ref}, from the cache if it holds it, recording what happens in {@code stats}. */
  CompletableFuture<StoredObject> fetch(ObjectRef ref, StatsRecorder stats) {
    if (cache == null) {
      return remote(ref, stats);
    }
    return cache.get(ref).thenCompose(hit -> {
      stats.cache(hit != null);
      if (hit != null) {
        return CompletableFuture.completedFuture(hit);
      }
      return remote(ref, stats).thenApply(object -> {
        cache.put(ref, object);
        return object;
      });
    });
  }

  private CompletableFuture<StoredObject> remote(ObjectRef ref, StatsRecorder stats) {
    if (store.supportsRanges() && ref.size() > policy.rangeThreshold()) {
      return ranged(ref, stats);
    }
    return resilient(ref, "", r -> store.get(r), stats);
  }

  /** Parallel ranged GETs of {@code rangePartSize} bytes, reassembled; every part must carry the same ETag. */
  private CompletableFuture<StoredObject> ranged(ObjectRef ref, StatsRecorder stats) {
    long size = ref.size();
    if (size > Integer.MAX_VALUE - 16) {
      return CompletableFuture.failedFuture(new SluiceException("object " + ref.uri() + " has " + size
          + " bytes, more than one array can hold", ref.uri(), false, null));
    }
    long part = policy.rangePartSize();
    int parts = (int) ((size + part - 1) / part);
    List<CompletableFuture<StoredObject>> pieces = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      long offset = i * part;
      long length = Math.min(part, size - offset);
      pieces.add(resilient(ref, " bytes " + offset + "-" + (offset + length - 1),
          r -> store.getRange(r, offset, length), stats));
    }
    CompletableFuture<StoredObject> result = CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new))
        .thenApply(unused -> {
          byte[] whole = new byte[(int) size];
          String etag = pieces.get(0).join().etag();
          for (int i = 0; i < parts; i++) {
            StoredObject piece = pieces.get(i).join();
            long expected = Math.min(part, size - i * part);
            if (piece.size() != expected) {
              throw new SluiceException("ranged read of " + ref.uri() + " part " + i + " returned " + piece.size()
                  + " bytes, expected " + expected, ref.uri(), true, null);
            }
            if (etag != null && !etag.equals(piece.etag())) {
              throw new SluiceException("object " + ref.uri() + " changed during a ranged read: ETag " + etag
                  + " then " + piece.etag(), ref.uri(), true, null);
            }
            System.arraycopy(piece.bytes(), 0, whole, (int) (i * part), piece.size());
          }
          return new StoredObject(ref.uri(), whole, etag, ref.versionId());
        });
    result.whenComplete((v, e) -> {
      if (result.isCancelled()) {
        pieces.forEach(p -> p.cancel(true));
      }
    });
    return result;
  }

  /**
   * Runs {@code request} until it succeeds, up to {@code maxAttempts} times, backing off between attempts;
   * within an attempt, a request still unanswered after {@code hedgeAfter} gets a twin and the first answer
   * wins.
   */
  private CompletableFuture<StoredObject> resilient(ObjectRef ref, String what,
      Function<ObjectRef, CompletableFuture<StoredObject>> request, StatsRecorder stats) {
    Call call = new Call(ref, what, request, stats);
    call.attempt(1);
    return call.result;
  }

  /** One logical fetch across its attempts. */
  private final class Call {
    final ObjectRef ref;
    final String what;
    final Function<ObjectRef, CompletableFuture<StoredObject>> request;
    final StatsRecorder stats;
    final CompletableFuture<StoredObject> result = new CompletableFuture<>();
    final List<String> causes = new ArrayList<>();
    final List<CompletableFuture<StoredObject>> outstanding = new ArrayList<>();
    final List<ScheduledFuture<?>> timers = new ArrayList<>();

    Call(ObjectRef ref, String what, Function<ObjectRef, CompletableFuture<StoredObject>> request,
        StatsRecorder stats) {
      this.ref = ref;
      this.what = what;
      this.request = request;
      this.stats = stats;
      result.whenComplete((v, e) -> cancelOutstanding());
    }

    void attempt(int number) {
      if (result.isDone()) {
        return;
      }
      Attempt attempt = new Attempt(number);
      attempt.launch();
      long hedgeNanos = policy.hedgeAfter().toNanos();
      if (hedgeNanos > 0 && !result.isDone()) {
        ScheduledFuture<?> hedge = schedule(attempt::hedge, hedgeNanos);
        if (hedge != null) {
          synchronized (this) {
            timers.add(hedge);
          }
          // A pending timer task holds this call, and with it the fetched bytes: drop it once we are done.
          if (result.isDone()) {
            hedge.cancel(false);
          }
        }
      }
    }

    synchronized void cancelOutstanding() {
      for (CompletableFuture<StoredObject> f : outstanding) {
        f.cancel(true);
      }
      outstanding.clear();
      for (ScheduledFuture<?> t : timers) {
        t.cancel(false);
      }
      timers.clear();
    }

    /** Schedules {@code task}, or fails the call if the loader is closed (then returns {@code null}). */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
      try {
        return timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        result.completeExceptionally(new SluiceException("loader closed while fetching " + ref.uri(), ref.uri(),
            false, e));
        return null;
      }
    }

    /** One attempt: a request and, if it is slow, one hedge. It fails when every request it sent failed. */
    final class Attempt {
      final int number;
      int running;
      boolean hedged;
      Throwable lastError;

      Attempt(int number) {
        this.number = number;
      }

      void launch() {
        int inFlightAtStart = requestsInFlight.incrementAndGet();
        long start = System.nanoTime();
        CompletableFuture<StoredObject> f;
        synchronized (Call.this) {
          running++;
        }
        try {
          f = request.apply(ref);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        synchronized (Call.this) {
          if (result.isDone()) {
            f.cancel(true);
          } else {
            outstanding.add(f);
          }
        }
        CompletableFuture<StoredObject> sent = f;
        f.whenComplete((object, error) -> {
          requestsInFlight.decrementAndGet();
          long latency = System.nanoTime() - start;
          Throwable cause = error == null ? null : unwrap(error);
          boolean cancelled = cause instanceof CancellationException;
          boolean throttled = cause instanceof ThrottledException || cause instanceof TimeoutException;
          if (!cancelled) {
            stats.request(latency, object == null ? 0 : object.size(), throttled);
            limit.onSample(latency, inFlightAtStart, throttled);
          }
          synchronized (Call.this) {
            outstanding.remove(sent);
          }
          if (error == null) {
            result.complete(object);
          } else if (!cancelled) {
            failed(cause);
          }
        });
      }

      void hedge() {
        synchronized (Call.this) {
          if (result.isDone() || hedged || running == 0) {
            return;
          }
          hedged = true;
        }
        stats.hedge();
        launch();
      }

      void failed(Throwable cause) {
        boolean last;
        synchronized (Call.this) {
          lastError = cause;
          last = --running == 0;
          if (last) {
            causes.add("attempt " + number + ": " + describe(cause));
          }
        }
        if (!last || result.isDone()) {
          return;
        }
        if (retryable(cause) && number < policy.maxAttempts()) {
          stats.retry();
          double u;
          synchronized (jitter) {
            u = jitter.nextDouble();
          }
          schedule(() -> attempt(number + 1), policy.backoffNanos(number, u));
          return;
        }
        if (number == 1) {
          result.completeExceptionally(cause instanceof SluiceException ? cause
              : new SluiceException("cannot fetch " + ref.uri() + what + ": " + describe(cause), ref.uri(),
                  retryable(cause), cause));
          return;
        }
        String history;
        synchronized (Call.this) {
          history = String.join("; ", causes);
        }
        result.completeExceptionally(new SluiceException("cannot fetch " + ref.uri() + what + " after " + number
            + " attempts (" + history + ")", ref.uri(), retryable(cause), cause));
      }
    }
  }

  static boolean retryable(Throwable cause) {
    if (cause instanceof SluiceException s) {
      return s.retryable();
    }
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable cause) {
    return cause instanceof SluiceException ? cause.getMessage() : String.valueOf(cause);
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
