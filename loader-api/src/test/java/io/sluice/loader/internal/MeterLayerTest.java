package io.sluice.loader.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MeterLayerTest {
  private static final ObjectRef REF = ObjectRef.of("s3://b/k.jpg");

  private final List<String> seen = new ArrayList<>();
  private final FetchEvents events = new FetchEvents() {
    @Override
    public void request(long latencyNanos, long bytes, boolean throttled) {
      seen.add("request " + bytes + " bytes" + (throttled ? ", throttled" : ""));
    }

    @Override
    public void retry() {}

    @Override
    public void hedge() {}

    @Override
    public void cache(boolean hit) {}
  };

  @Test
  void whoeverSeesTheObjectAlsoSeesTheRequestCounted() {
    CompletableFuture<StoredObject> store = new CompletableFuture<>();
    CompletableFuture<StoredObject> metered = new MeterLayer((request, e) -> store, new ManualClock())
        .fetch(FetchRequest.whole(REF), events);
    // (Handing the store's own future up failed this: its dependents run last-registered first, so the layer
    // above saw the object before the request was counted, and a consumer could read stats that missed it.)
    metered.whenComplete((object, error) -> seen.add("layer above sees " + object.size() + " bytes"));
    store.complete(new StoredObject(REF.uri(), new byte[] {1, 2, 3}, "e", null));
    assertEquals(List.of("request 3 bytes", "layer above sees 3 bytes"), seen);
  }

  @Test
  void cancellingTheFetchCancelsTheRequestAndCountsNothing() {
    CompletableFuture<StoredObject> store = new CompletableFuture<>();
    CompletableFuture<StoredObject> metered = new MeterLayer((request, e) -> store, new ManualClock())
        .fetch(FetchRequest.whole(REF), events);
    metered.cancel(true);
    assertTrue(store.isCancelled(), "the store's request is cancelled");
    assertEquals(List.of(), seen, "a cancelled request is not a request that reached the store");
  }
}
