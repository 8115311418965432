package io.sluice.loader.internal;

import io.sluice.loader.SluiceException;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Retries a request that failed retryably, with jittered exponential backoff, for as long as the policy's retry
 * budget (time since the first attempt) and attempt cap allow; within an attempt, a request still unanswered after
 * {@code hedgeAfter} gets a twin and the first answer wins. Permanent failures end the request at once.
 *
 * <p>Waiting is a task on the {@link EngineClock}, never a parked thread, and time is read only from the clock.
 */
final class RetryLayer implements FetchLayer {
  /** How many attempt causes an error message lists (the first and the latest ones). */
  private static final int CAUSES_SHOWN = 6;

  private final FetchLayer next;
  private final FetchPolicy policy;
  private final EngineClock clock;
  private final SplittableRandom jitter;

  RetryLayer(FetchLayer next, FetchPolicy policy, EngineClock clock, long seed) {
    this.next = next;
    this.policy = policy;
    this.clock = clock;
    this.jitter = new SplittableRandom(Seeds.mix(seed ^ 0x6A09E667F3BCC909L));
  }

  @Override
  public CompletableFuture<StoredObject> fetch(FetchRequest request, FetchEvents events) {
    Call call = new Call(request, events);
    call.attempt(1);
    return call.result;
  }

  private double nextJitter() {
    synchronized (jitter) {
      return jitter.nextDouble();
    }
  }

  /** One request across its attempts. */
  private final class Call {
    final FetchRequest request;
    final FetchEvents events;
    final long startNanos = clock.nanoTime();
    final CompletableFuture<StoredObject> result = new CompletableFuture<>();
    // Guarded by this.
    final Deque<String> causes = new ArrayDeque<>();
    String firstCause;
    final List<CompletableFuture<StoredObject>> outstanding = new ArrayList<>();
    final List<EngineClock.Cancellable> timers = new ArrayList<>();

    Call(FetchRequest request, FetchEvents events) {
      this.request = request;
      this.events = events;
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
        schedule(attempt::hedge, hedgeNanos);
      }
    }

    void cancelOutstanding() {
      List<CompletableFuture<StoredObject>> requests;
      List<EngineClock.Cancellable> pending;
      synchronized (this) {
        requests = List.copyOf(outstanding);
        outstanding.clear();
        pending = List.copyOf(timers);
        timers.clear();
      }
      // Outside the lock and over copies: a cancelled request's callback runs here, on this thread.
      requests.forEach(f -> f.cancel(true));
      // A pending timer task holds this call, and with it the fetched bytes: drop it once we are done.
      pending.forEach(EngineClock.Cancellable::cancel);
    }

    /** Schedules {@code task}; fails the call if the clock is shut down (the loader closed). */
    void schedule(Runnable task, long delayNanos) {
      EngineClock.Cancellable timer;
      try {
        timer = clock.schedule(task, delayNanos);
      } catch (RejectedExecutionException e) {
        result.completeExceptionally(new SluiceException("loader closed while fetching " + request.describe(),
            request.ref().uri(), false, e));
        return;
      }
      synchronized (this) {
        timers.add(timer);
      }
      if (result.isDone()) {
        timer.cancel();
      }
    }

    synchronized void recordCause(String cause) {
      if (firstCause == null) {
        firstCause = cause;
        return;
      }
      causes.addLast(cause);
      if (causes.size() > CAUSES_SHOWN - 1) {
        causes.removeFirst();
      }
    }

    synchronized String history(int attempts) {
      List<String> shown = new ArrayList<>();
      shown.add(firstCause);
      if (attempts > CAUSES_SHOWN) {
        shown.add("... " + (attempts - CAUSES_SHOWN) + " more ...");
      }
      shown.addAll(causes);
      return String.join("; ", shown);
    }

    /** One attempt: a request and, if it is slow, one hedge. It fails when every request it sent failed. */
    final class Attempt {
      final int number;
      int running; // guarded by Call.this
      boolean hedged; // guarded by Call.this

      Attempt(int number) {
        this.number = number;
      }

      void launch() {
        synchronized (Call.this) {
          running++;
        }
        CompletableFuture<StoredObject> f = next.fetch(request, events);
        synchronized (Call.this) {
          if (result.isDone()) {
            f.cancel(true);
          } else {
            outstanding.add(f);
          }
        }
        f.whenComplete((object, error) -> {
          synchronized (Call.this) {
            outstanding.remove(f);
          }
          if (error == null) {
            result.complete(object);
            return;
          }
          Throwable cause = FetchErrors.unwrap(error);
          if (!(cause instanceof CancellationException)) {
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
        events.hedge();
        launch();
      }

      void failed(Throwable cause) {
        synchronized (Call.this) {
          if (--running > 0) {
            return; // the twin may still answer
          }
        }
        if (result.isDone()) {
          return;
        }
        recordCause("attempt " + number + ": " + FetchErrors.describe(cause));
        boolean retryable = FetchErrors.retryable(cause);
        if (retryable && number < policy.maxAttempts()) {
          long backoff = policy.backoffNanos(number, nextJitter());
          long spent = clock.nanoTime() - startNanos;
          if (spent + backoff <= policy.retryBudget().toNanos()) {
            events.retry();
            schedule(() -> attempt(number + 1), backoff);
            return;
          }
        }
        if (number == 1) {
          result.completeExceptionally(cause instanceof SluiceException ? cause
              : new SluiceException("cannot fetch " + request.describe() + ": " + FetchErrors.describe(cause),
                  request.ref().uri(), retryable, cause));
          return;
        }
        long seconds = (clock.nanoTime() - startNanos) / 1_000_000_000L;
        result.completeExceptionally(new SluiceException("cannot fetch " + request.describe() + " after " + number
            + " attempts over " + seconds + " s (" + history(number) + ")", request.ref().uri(), retryable, cause));
      }
    }
  }
}
