package io.sluice.loader;

import static io.sluice.loader.testing.EpochChecks.ids;
import static io.sluice.loader.testing.EpochChecks.readEpoch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.fetch.FailurePolicy;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.fetch.SkippedSample;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.EpochChecks.Delivered;
import io.sluice.loader.testing.FaultyStore;
import io.sluice.loader.testing.SyntheticDataset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fetch engine inside the loader: retries, hedges, failure policies, bounds, cache, ranges, order. */
class FetchEngineTest {
  private static final FetchPolicy FAST = FetchPolicy.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(5))
      .build();

  private static InMemoryObjectStore storeOf(SyntheticDataset data) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    data.objects().forEach(store::put);
    return store;
  }

  private static DataLoader.Builder loader(SyntheticDataset data, ObjectStore store) {
    return DataLoader.builder().manifest(data.manifest()).store(store).transform(SyntheticDataset.identify())
        .batchSize(16).seed(3).fetchPolicy(FAST);
  }

  @Test
  void retriesThroughThrottlingServerErrorsResetsAndTruncationsWithIdenticalBatches() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 500, 4);
    List<Delivered> clean;
    try (DataLoader loader = loader(data, storeOf(data)).build()) {
      clean = readEpoch(loader, 2);
    }
    FaultyStore faulty = new FaultyStore(storeOf(data), 99, 0.05, 0.03, 0.03, 0.03);
    try (DataLoader loader = loader(data, faulty).build()) {
      assertEquals(clean, readEpoch(loader, 2), "faults change nothing in the batches");
      LoaderStats s = loader.stats();
      assertTrue(faulty.injected() > 30, "faults were injected: " + faulty.injected());
      assertEquals(faulty.injected(), s.retries(), "every injected fault was retried once");
      assertTrue(s.throttled() > 0, "503s counted: " + s);
      assertEquals(faulty.requests(), s.gets());
      assertEquals(0, s.skipped());
    }
  }

  @Test
  void afterTheLastAttemptTheErrorNamesTheKeyAndEveryAttempt() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 40, 2);
    FaultyStore faulty = new FaultyStore(storeOf(data), 1, 0, 0, 0, 0).breakForGood(data.uri(7));
    FetchPolicy three = FAST.toBuilder().maxAttempts(3).build();
    try (DataLoader loader = loader(data, faulty).fetchPolicy(three).build(); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, () -> {
        while (it.hasNext()) {
          it.next();
        }
      });
      String m = e.getMessage();
      assertTrue(m.contains(data.uri(7)) && m.contains("after 3 attempts"), m);
      assertTrue(m.contains("attempt 1: ") && m.contains("attempt 2: ") && m.contains("attempt 3: "), m);
      assertTrue(m.contains("HTTP 500"), m);
      assertEquals(3, faulty.requestsFor(data.uri(7)));
      assertTrue(e.retryable());
    }
  }

  @Test
  void skipPolicyRecordsSkippedSamplesAndDeliversTheRest() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 64, 2);
    InMemoryObjectStore store = storeOf(data);
    store.remove(data.uri(5));
    store.put(data.uri(9), "garbage".getBytes(StandardCharsets.UTF_8));
    FetchPolicy skip = FAST.toBuilder().onFailure(FailurePolicy.skip(5, 0.5)).build();
    try (DataLoader loader = loader(data, store).fetchPolicy(skip).shuffle(false).build()) {
      List<Delivered> got = readEpoch(loader, 0);
      Set<Integer> expected = IntStream.range(0, 64).filter(i -> i != 5 && i != 9).boxed().collect(Collectors.toSet());
      assertEquals(expected, new TreeSet<>(ids(got)));
      assertEquals(4, loader.batchesPerEpoch(), "batch count is unchanged; the short batch holds 14");
      assertEquals(2, loader.stats().skipped());
      List<SkippedSample> skipped = loader.skipped();
      assertEquals(Set.of(data.uri(5), data.uri(9)), skipped.stream().map(SkippedSample::uri).collect(Collectors.toSet()));
      assertTrue(skipped.stream().anyMatch(s -> s.reason().contains("not found")), skipped.toString());
      assertTrue(skipped.stream().anyMatch(s -> s.reason().contains("not an id")), skipped.toString());
    }
  }

  @Test
  void skippedRowsLeaveTheOtherRowsOfAnImageBatchIntact() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 6, 2);
    InMemoryObjectStore store = storeOf(data);
    store.remove(data.uri(2));
    Transform<StoredObject, Features> image = (in, ctx) -> {
      int id = Integer.parseInt(new String(in.bytes(), StandardCharsets.UTF_8));
      float[] v = new float[3 * 2 * 2];
      java.util.Arrays.fill(v, id);
      return Features.of(v, 3, 2, 2);
    };
    FetchPolicy skip = FAST.toBuilder().onFailure(FailurePolicy.skip(1, 1.0)).build();
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(store).transform(image).batchSize(6)
        .shuffle(false).fetchPolicy(skip).build(); BatchIterator it = loader.epoch(0)) {
      Batch b = it.next();
      assertArrayEquals(new long[] {5, 3, 2, 2}, b.features().shape());
      assertArrayEquals(new int[] {0, 1, 3, 4, 5}, b.indices());
      for (int r = 0; r < 5; r++) {
        assertEquals(b.indices()[r] * 12.0, b.features().slice(r).sumNumber().doubleValue(), 1e-6, "row " + r);
        assertEquals(1f, b.labels().getRow(r).sumNumber().floatValue());
      }
    }
  }

  @Test
  void skipPolicyFailsTheEpochOverBudget() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 100, 2);
    InMemoryObjectStore store = storeOf(data);
    for (int i = 0; i < 4; i++) {
      store.remove(data.uri(i * 10));
    }
    FetchPolicy skip = FAST.toBuilder().onFailure(FailurePolicy.skip(3, 1.0)).build();
    try (DataLoader loader = loader(data, store).fetchPolicy(skip).build(); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, () -> {
        while (it.hasNext()) {
          it.next();
        }
      });
      assertTrue(e.getMessage().contains("skipped 4 of 100 samples, over the budget"), e.getMessage());
    }
  }

  @Test
  void aSlowGetIsHedgedAndTheFirstAnswerWins() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 20, 2);
    FaultyStore faulty = new FaultyStore(storeOf(data), 1, 0, 0, 0, 0).hangFirstRequest(data.uri(3))
        .hangFirstRequest(data.uri(11));
    FetchPolicy hedge = FAST.toBuilder().hedgeAfter(Duration.ofMillis(50)).build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try (DataLoader loader = loader(data, faulty).fetchPolicy(hedge).build()) {
        assertEquals(20, readEpoch(loader, 0).size());
        assertEquals(2, loader.stats().hedges());
        assertEquals(0, loader.stats().retries());
        assertEquals(2, faulty.requestsFor(data.uri(3)));
      }
      assertEquals(2, faulty.cancelled(), "the losing requests were cancelled");
    });
  }

  /** Records the most object bytes ever outstanding at once. */
  private static final class ByteCountingStore implements ObjectStore {
    final ObjectStore delegate;
    final AtomicLong outstanding = new AtomicLong();
    final AtomicLong max = new AtomicLong();

    ByteCountingStore(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<StoredObject> get(ObjectRef ref) {
      long now = outstanding.addAndGet(ref.size());
      max.accumulateAndGet(now, Math::max);
      return CompletableFuture.supplyAsync(() -> {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        outstanding.addAndGet(-ref.size());
        return delegate.get(ref).join();
      });
    }

    @Override
    public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
      return delegate.list(prefixUri);
    }
  }

  @Test
  void bytesInFlightStayWithinTheBudget() {
    InMemoryObjectStore store = new InMemoryObjectStore();
    Manifest.Builder b = Manifest.builder("mem://b/");
    for (int i = 0; i < 200; i++) {
      byte[] body = new byte[10_000];
      byte[] id = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(id, 0, body, 0, id.length);
      store.put("mem://b/c/" + i, body);
      b.add("c/" + i, "c", body.length, null, null);
    }
    ByteCountingStore counting = new ByteCountingStore(store);
    Transform<StoredObject, Features> firstByte = (in, ctx) -> Features.of(new float[] {in.bytes()[0]}, 1);
    try (DataLoader loader = DataLoader.builder().manifest(b.build()).store(counting).transform(firstByte)
        .batchSize(50).prefetchBatches(4).maxInFlight(100).maxBytesInFlight(45_000).build()) {
      BatchIterator it = loader.epoch(0);
      int rows = 0;
      while (it.hasNext()) {
        rows += it.next().size();
      }
      assertEquals(200, rows);
      assertTrue(counting.max.get() <= 45_000, "at most 45,000 bytes outstanding, saw " + counting.max.get());
      assertTrue(counting.max.get() >= 20_000, "fetches still overlap, saw " + counting.max.get());
      assertEquals(0, loader.stats().bytesInFlight());
    }
  }

  @Test
  void unorderedModeDoesNotWaitForAStuckObject() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 64, 2);
    FaultyStore faulty = new FaultyStore(storeOf(data), 1, 0, 0, 0, 0);
    int first = Sampler.shuffled().indices(64, 3, 0)[0];
    faulty.hangFirstRequest(data.uri(first));
    FetchPolicy slowHedge = FAST.toBuilder().hedgeAfter(Duration.ofMillis(300)).build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try (DataLoader loader = loader(data, faulty).fetchPolicy(slowHedge).ordered(false).build();
           BatchIterator it = loader.epoch(0)) {
        Batch b0 = it.next();
        Set<Integer> seen = new HashSet<>();
        for (int i : b0.indices()) {
          seen.add(i);
        }
        while (it.hasNext()) {
          for (int i : it.next().indices()) {
            assertTrue(seen.add(i), "sample " + i + " delivered twice");
          }
        }
        assertEquals(64, seen.size(), "every sample once");
      }
    });
  }

  @Test
  void aCachedEpochMakesNoRequests() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 100, 2);
    InMemoryObjectStore store = storeOf(data);
    try (DataLoader loader = loader(data, store).cache(ObjectCache.memory(1 << 20)).build()) {
      List<Delivered> e0 = readEpoch(loader, 0);
      assertEquals(100, store.gets());
      LoaderStats before = loader.stats();
      assertEquals(100, before.cacheMisses());
      readEpoch(loader, 1);
      assertEquals(100, store.gets(), "epoch 1 came from the cache");
      assertEquals(100, loader.stats().since(before).cacheHits());
      assertEquals(e0.size(), 100);
    }
  }

  @Test
  void largeObjectsAreFetchedAsParallelRangesAndReassembled() {
    AtomicInteger ranged = new AtomicInteger();
    InMemoryObjectStore memory = new InMemoryObjectStore();
    ObjectStore store = new ObjectStore() {
      @Override
      public CompletableFuture<StoredObject> get(ObjectRef ref) {
        return memory.get(ref);
      }

      @Override
      public boolean supportsRanges() {
        return true;
      }

      @Override
      public CompletableFuture<StoredObject> getRange(ObjectRef ref, long offset, long length) {
        ranged.incrementAndGet();
        return memory.getRange(ref, offset, length);
      }

      @Override
      public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
        return memory.list(prefixUri);
      }
    };
    byte[] big = new byte[2_500_003];
    new java.util.Random(5).nextBytes(big);
    memory.put("mem://b/c/big", big);
    memory.put("mem://b/c/small", new byte[] {1, 2, 3});
    Manifest m = Manifest.builder("mem://b/").add("c/big", "c", big.length, null, null).add("c/small", "c", 3, null, null)
        .build();
    List<byte[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Transform<StoredObject, Features> keep = (in, ctx) -> {
      seen.add(in.bytes());
      return Features.of(new float[] {in.size()}, 1);
    };
    FetchPolicy ranges = FAST.toBuilder().ranges(1_000_000, 1_000_000).build();
    try (DataLoader loader = DataLoader.builder().manifest(m).store(store).transform(keep).batchSize(2)
        .fetchPolicy(ranges).build()) {
      Batch b = loader.epoch(0).next();
      assertEquals(2, b.size());
      assertEquals(3, ranged.get(), "2.5 MB in 1 MB parts: three ranged GETs; the small object one plain GET");
      assertArrayEquals(big, seen.stream().filter(x -> x.length == big.length).findFirst().orElseThrow());
    }
  }

  @Test
  void statsSnapshotReportsLatencyAndWait() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 96, 2);
    try (DataLoader loader = loader(data, storeOf(data)).build()) {
      readEpoch(loader, 0);
      LoaderStats s = loader.stats();
      assertEquals(96, s.getLatency().count());
      assertEquals(6, s.waitLatency().count());
      assertTrue(s.getLatency().p99().compareTo(s.getLatency().p50()) >= 0);
      assertTrue(s.concurrencyLimit() >= 4, s.toString());
      assertTrue(s.toString().contains("96 samples in 6 batches"), s.toString());
    }
  }
}
