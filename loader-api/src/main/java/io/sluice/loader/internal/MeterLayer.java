package io.sluice.loader.internal;

import io.sluice.loader.store.StoredObject;
import io.sluice.loader.store.ThrottledException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** Reports every request that reaches the store (not cancelled ones): latency, bytes, whether throttled. */
final class MeterLayer implements FetchLayer {
  private final FetchLayer next;
  private final EngineClock clock;

  MeterLayer(FetchLayer next, EngineClock clock) {
    this.next = next;
    this.clock = clock;
  }

  /**
   * The returned future completes only after the request is recorded, so whoever sees the object (the layers
   * above, then the consumer of the batch) also sees it counted; cancelling it cancels the request.
   */
  @Override
  public CompletableFuture<StoredObject> fetch(FetchRequest request, FetchEvents events) {
    long start = clock.nanoTime();
    CompletableFuture<StoredObject> f = next.fetch(request, events);
    CompletableFuture<StoredObject> metered = new CompletableFuture<>();
    f.whenComplete((object, error) -> {
      Throwable cause = error == null ? null : FetchErrors.unwrap(error);
      if (!(cause instanceof CancellationException)) {
        events.request(clock.nanoTime() - start, object == null ? 0 : object.size(), throttled(cause));
      }
      if (error == null) {
        metered.complete(object);
      } else {
        metered.completeExceptionally(error);
      }
    });
    metered.whenComplete((object, error) -> {
      if (metered.isCancelled()) {
        f.cancel(true);
      }
    });
    return metered;
  }

  static boolean throttled(Throwable cause) {
    return cause instanceof ThrottledException || cause instanceof TimeoutException;
  }
}
