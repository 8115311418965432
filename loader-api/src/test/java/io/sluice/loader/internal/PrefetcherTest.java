package io.sluice.loader.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.fetch.ConcurrencyLimit;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.ManualClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Issuing alone: reading order, the consumer's window, the limiter's permits, cancellation and prefix hits. */
class PrefetcherTest {
  private final Manifest manifest = manifest(10);
  private final Map<String, CompletableFuture<StoredObject>> sent = new LinkedHashMap<>();
  private final List<String> arrived = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private final FetchLayer chain = (request, events) -> {
    CompletableFuture<StoredObject> f = new CompletableFuture<>();
    sent.put(request.ref().uri(), f);
    return f;
  };
  private final FetchLimiter limiter = new FetchLimiter(ConcurrencyLimit.fixed(3), 1 << 30, new ManualClock());
  private final Prefetcher.Sink sink = new Prefetcher.Sink() {
    @Override
    public void arrived(int position, StoredObject object, boolean prefixed, Map<String, StoredObject> companions,
        FetchLimiter.Permit permit) {
      arrived.add(position + (prefixed ? " cached" : ""));
      limiter.releaseBytes(permit);
    }

    @Override
    public void failed(int position, Throwable error, FetchLimiter.Permit permit) {
      failed.add(position + " " + error.getClass().getSimpleName());
      limiter.releaseBytes(permit);
    }
  };

  private static Manifest manifest(int size) {
    Manifest.Builder b = Manifest.builder("mem://p/");
    for (int i = 0; i < size; i++) {
      b.add("k" + i, "c");
    }
    return b.build();
  }

  private Prefetcher prefetcher(int[] order, java.util.function.Function<ObjectRef, CompletableFuture<StoredObject>> lookup) {
    return new Prefetcher(manifest, order, limiter, chain, new StatsRecorder(null, () -> 3), sink, lookup, null);
  }

  private void answer(String uri) {
    sent.get(uri).complete(new StoredObject(uri, new byte[] {1}, "e", null));
  }

  @Test
  void issuesInReadingOrderWithinTheWindowAndThePermits() {
    int[] order = {4, 2, 9, 0, 1, 3, 5, 6, 7, 8};
    Prefetcher p = prefetcher(order, null);
    p.pump(2);
    assertEquals(List.of("mem://p/k4", "mem://p/k2"), List.copyOf(sent.keySet()), "the window is 2 positions");
    p.pump(10);
    assertEquals(3, sent.size(), "3 permits");
    answer("mem://p/k2");
    assertEquals(List.of("1"), arrived, "position 1 (manifest index 2) arrived");
    p.pump(10);
    assertEquals(List.of("mem://p/k4", "mem://p/k2", "mem://p/k9", "mem://p/k0"), List.copyOf(sent.keySet()),
        "the freed permit went to the next position in reading order");
  }

  @Test
  void closeCancelsWhatIsInFlightAndEveryPositionIsHeardOfOnce() {
    Prefetcher p = prefetcher(new int[] {0, 1, 2, 3}, null);
    p.pump(4);
    answer("mem://p/k0");
    p.close();
    p.pump(4);
    assertEquals(3, sent.size(), "nothing issued after close");
    assertEquals(List.of("0"), arrived);
    assertEquals(java.util.Set.of("1 CancellationException", "2 CancellationException"), java.util.Set.copyOf(failed));
    assertEquals(2, failed.size());
    assertTrue(sent.get("mem://p/k1").isCancelled());
    assertEquals(0, limiter.objectsInFlight());
    assertEquals(0, limiter.bytesHeld(), "every permit and byte came back");
  }

  @Test
  void aPrefixHitSkipsTheFetchAndAMissFetches() {
    Prefetcher p = prefetcher(new int[] {0, 1}, ref -> CompletableFuture.completedFuture(
        ref.uri().endsWith("k0") ? new StoredObject(ref.uri() + "#prefix", new byte[] {7}, "e", null) : null));
    p.pump(2);
    assertEquals(List.of("mem://p/k1"), List.copyOf(sent.keySet()), "only the miss is fetched");
    answer("mem://p/k1");
    assertEquals(List.of("0 cached", "1"), arrived);
  }

  @Test
  void companionsAreFetchedWithTheirSampleUnderItsPermit() {
    List<Map<String, StoredObject>> companionsSeen = new ArrayList<>();
    Prefetcher.Sink recording = new Prefetcher.Sink() {
      @Override
      public void arrived(int position, StoredObject object, boolean prefixed, Map<String, StoredObject> companions,
          FetchLimiter.Permit permit) {
        companionsSeen.add(companions);
        arrived.add(position + " held " + permit.heldBytes());
      }

      @Override
      public void failed(int position, Throwable error, FetchLimiter.Permit permit) {
        failed.add(position + " " + error.getMessage());
      }
    };
    Prefetcher p = new Prefetcher(manifest, new int[] {0, 1, 2, 3}, limiter, chain, new StatsRecorder(null, () -> 3),
        recording, null, index -> List.of("mem://masks/m" + index));
    p.pump(4);
    assertEquals(6, sent.size(), "3 samples (the limit counts samples), each with its mask");
    answer("mem://p/k0");
    assertTrue(arrived.isEmpty(), "a sample arrives when its companions have too");
    sent.get("mem://masks/m0").complete(new StoredObject("mem://masks/m0", new byte[] {1, 2}, "e", null));
    assertEquals(List.of("0 held 3"), arrived, "the permit holds the image's and the mask's bytes");
    assertEquals(Map.of("mem://masks/m0", 2), Map.of("mem://masks/m0", companionsSeen.get(0).get("mem://masks/m0").size()));
    sent.get("mem://masks/m1").completeExceptionally(new IllegalStateException("mask m1 is missing"));
    assertEquals(List.of("1 mask m1 is missing"), failed, "a missing companion fails its sample, naming it");
    assertTrue(sent.get("mem://p/k1").isCancelled(), "and its image's fetch is cancelled");
  }

  @Test
  void aFailedFetchReachesTheSinkAndFreesItsPermit() {
    Prefetcher p = prefetcher(new int[] {0, 1, 2, 3, 4}, null);
    p.pump(5);
    sent.get("mem://p/k1").completeExceptionally(new IllegalStateException("boom"));
    assertEquals(List.of("1 IllegalStateException"), failed);
    p.pump(5);
    assertEquals(4, sent.size());
    assertTrue(sent.values().stream().noneMatch(f -> f.isCancelled()));
    assertEquals(3, limiter.objectsInFlight());
    sent.values().forEach(f -> f.cancel(true));
    assertTrue(failed.stream().filter(s -> s.contains(CancellationException.class.getSimpleName())).count() >= 3);
  }
}
