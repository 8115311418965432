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

  @Override
  public CompletableFuture<StoredObject> fetch(FetchRequest request, FetchEvents events) {
    long start = clock.nanoTime();
    CompletableFuture<StoredObject> f = next.fetch(request, events);
    f.whenComplete((object, error) -> {
      Throwable cause = error == null ? null : FetchErrors.unwrap(error);
      if (cause instanceof CancellationException) {
        return;
      }
      events.request(clock.nanoTime() - start, object == null ? 0 : object.size(), throttled(cause));
    });
    return f;
  }

  static boolean throttled(Throwable cause) {
    return cause instanceof ThrottledException || cause instanceof TimeoutException;
  }
}
