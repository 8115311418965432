package io.sluice.loader;

import static io.sluice.loader.testing.EpochChecks.ids;
import static io.sluice.loader.testing.EpochChecks.readEpoch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.testing.DelayedStore;
import io.sluice.loader.testing.EpochChecks.Delivered;
import io.sluice.loader.testing.SyntheticDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loader's pipeline logic over an in-memory store with random, out-of-order completion. */
class DataLoaderTest {

  private static InMemoryObjectStore storeOf(SyntheticDataset data) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    data.objects().forEach(store::put);
    return store;
  }

  private static DataLoader.Builder loader(SyntheticDataset data, io.sluice.loader.store.ObjectStore store) {
    return DataLoader.builder().manifest(data.manifest()).store(store).transform(SyntheticDataset.identify());
  }

  @ParameterizedTest(name = "size {0}, batch {1}")
  @CsvSource({"100, 10", "101, 10", "7, 3", "5, 8", "1, 1", "257, 32"})
  void everyEntryExactlyOncePerEpochInSeededOrder(int size, int batch) {
    SyntheticDataset data = new SyntheticDataset("mem://b/", size, 3);
    try (DelayedStore store = new DelayedStore(storeOf(data), 300);
         DataLoader loader = loader(data, store).batchSize(batch).seed(42).maxInFlight(8).build()) {
      assertEquals((size + batch - 1) / batch, loader.batchesPerEpoch());
      List<Integer> e0 = ids(readEpoch(loader, 0));
      List<Integer> e1 = ids(readEpoch(loader, 1));
      Set<Integer> all = IntStream.range(0, size).boxed().collect(Collectors.toSet());
      assertEquals(size, e0.size());
      assertEquals(all, new TreeSet<>(e0), "epoch 0 is a permutation");
      assertEquals(all, new TreeSet<>(e1), "epoch 1 is a permutation");
      if (size > 5) {
        assertNotEquals(e0, e1, "each epoch is shuffled afresh");
      }
      assertEquals(e0, ids(readEpoch(loader, 0)), "the same epoch again gives the same order");
    }
  }

  @Test
  void theManifestsChannelDecidesTheDefaultOrderAndShuffleAndSamplerAreExclusive() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 50, 2);
    InMemoryObjectStore store = storeOf(data);
    List<Integer> inOrder = IntStream.range(0, 50).boxed().toList();
    try (DataLoader validation = DataLoader.builder().manifest(data.manifest().withChannel("validation")).store(store)
        .transform(SyntheticDataset.identify()).batchSize(8).seed(1).build()) {
      assertEquals(inOrder, ids(readEpoch(validation, 3)), "a validation manifest is read in order");
    }
    try (DataLoader train = loader(data, store).batchSize(8).seed(1).build()) {
      assertNotEquals(inOrder, ids(readEpoch(train, 3)), "a train manifest is shuffled");
    }
    try (DataLoader overridden = DataLoader.builder().manifest(data.manifest().withChannel("validation")).store(store)
        .transform(SyntheticDataset.identify()).batchSize(8).seed(1).channel("train").build()) {
      assertNotEquals(inOrder, ids(readEpoch(overridden, 3)), "channel(...) overrides the manifest's");
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> loader(data, store).shuffle(false).sampler(Sampler.blocks(4)));
    assertTrue(e.getMessage().contains("mutually exclusive"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> loader(data, store).sampler(Sampler.shuffled()).shuffle(true));
    assertTrue(e.getMessage().contains("mutually exclusive"), e.getMessage());
  }

  @Test
  void aToolGetsTheLoadersDrawsFromSampleContextForEntry() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 30, 2);
    try (DataLoader loader = loader(data, storeOf(data)).batchSize(7).seed(99).build()) {
      for (Delivered d : readEpoch(loader, 2)) {
        int draw = SampleContext.forEntry(data.uri(d.id()), d.id(), 2, 99).random().nextInt(1 << 20);
        assertEquals(draw, d.draw(), "sample " + d.id());
      }
    }
  }

  @Test
  void sameSeedSameBatchesAndDrawsWhateverTheTimingOrWorkers() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 200, 4);
    List<Delivered> reference;
    try (DataLoader loader = loader(data, storeOf(data)).batchSize(16).seed(7).workers(1).maxInFlight(1).build()) {
      reference = readEpoch(loader, 3);
    }
    try (DelayedStore store = new DelayedStore(storeOf(data), 2000);
         DataLoader loader = loader(data, store).batchSize(16).seed(7).workers(8).maxInFlight(64).build()) {
      assertEquals(reference, readEpoch(loader, 3));
    }
    try (DataLoader loader = loader(data, storeOf(data)).batchSize(16).seed(8).build()) {
      List<Delivered> other = readEpoch(loader, 3);
      assertNotEquals(ids(reference), ids(other), "another seed gives another order");
    }
  }

  @Test
  void sequentialSamplerReadsInManifestOrder() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 50, 5);
    try (DataLoader loader = loader(data, storeOf(data)).batchSize(7).shuffle(false).build()) {
      assertEquals(IntStream.range(0, 50).boxed().toList(), ids(readEpoch(loader, 4)));
    }
  }

  @Test
  void validationAndTestChannelsAreNotShuffledUnlessAsked() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 40, 2);
    try (DataLoader loader = loader(data, storeOf(data)).batchSize(8).channel("validation").build()) {
      assertEquals(IntStream.range(0, 40).boxed().toList(), ids(readEpoch(loader, 3)));
    }
    try (DataLoader loader = loader(data, storeOf(data)).batchSize(8).channel("test").sampler(Sampler.shuffled())
        .build()) {
      assertNotEquals(IntStream.range(0, 40).boxed().toList(), ids(readEpoch(loader, 3)));
    }
  }

  @Test
  void neverMoreFetchesInFlightThanTheBound() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 400, 2);
    try (DelayedStore store = new DelayedStore(storeOf(data), 500);
         DataLoader loader = loader(data, store).batchSize(50).maxInFlight(5).prefetchBatches(8).build()) {
      readEpoch(loader, 0);
      assertTrue(store.maxOutstanding() <= 5, "at most 5 outstanding, saw " + store.maxOutstanding());
      assertTrue(store.maxOutstanding() >= 2, "fetches overlap, saw " + store.maxOutstanding());
    }
  }

  @Test
  void prefetchStopsAFewBatchesAheadOfTheConsumer() throws Exception {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 1000, 2);
    InMemoryObjectStore store = storeOf(data);
    try (DataLoader loader = loader(data, store).batchSize(10).prefetchBatches(2).maxInFlight(100).build();
         BatchIterator it = loader.epoch(0)) {
      Thread.sleep(200);
      assertEquals(20, store.gets(), "two batches fetched ahead before the first next()");
      it.next();
      Thread.sleep(200);
      assertEquals(30, store.gets(), "one more batch after one was taken");
    }
  }

  @Test
  void missingKeyFailsNamingTheKey() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 30, 3);
    InMemoryObjectStore store = storeOf(data);
    store.remove(data.uri(17));
    try (DataLoader loader = loader(data, store).batchSize(4).build(); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, () -> {
        while (it.hasNext()) {
          it.next();
        }
      });
      assertTrue(e.getMessage().contains(data.uri(17)), e.getMessage());
      assertTrue(e.getMessage().contains("not found"), e.getMessage());
      assertEquals(data.uri(17), e.key());
      assertFalse(e.retryable());
    }
  }

  @Test
  void transformErrorNamesTheKey() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 10, 2);
    InMemoryObjectStore store = storeOf(data);
    store.put(data.uri(3), "not a number".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (DataLoader loader = loader(data, store).batchSize(10).build(); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, it::next);
      assertTrue(e.getMessage().contains(data.uri(3)) && e.getMessage().contains("not an id"), e.getMessage());
    }
  }

  @Test
  void samplesOfDifferentShapesFailNamingTheKey() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 8, 2);
    Transform<io.sluice.loader.store.StoredObject, Features> ragged = (in, ctx) ->
        Features.of(new float[in.size()], in.size());
    InMemoryObjectStore store = storeOf(data);
    store.put(data.uri(5), "12345".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(store).transform(ragged)
        .batchSize(8).build(); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, it::next);
      assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }
  }

  @Test
  void closeStopsEveryThreadEvenMidEpochAfterAFailure() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    SyntheticDataset data = new SyntheticDataset("mem://b/", 500, 2);
    InMemoryObjectStore store = storeOf(data);
    store.remove(data.uri(250));
    try (DelayedStore delayed = new DelayedStore(store, 1000)) {
      DataLoader loader = loader(data, delayed).batchSize(10).workers(4).build();
      BatchIterator it = loader.epoch(0);
      it.next();
      assertThrows(SluiceException.class, () -> {
        while (it.hasNext()) {
          it.next();
        }
      });
      loader.epoch(1).next();
      loader.close();
      assertThrows(IllegalStateException.class, () -> loader.epoch(2));
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<String> leftover;
    do {
      leftover = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        // the batch-memory cleaner is one daemon thread for the whole JVM, not a loader's
        if (!before.contains(t) && t.isAlive() && t.getName().startsWith("sluice-")
            && !t.getName().equals("sluice-batch-memory-cleaner")) {
          leftover.add(t.getName());
        }
      }
      if (!leftover.isEmpty()) {
        Thread.sleep(20);
      }
    } while (!leftover.isEmpty() && System.nanoTime() < deadline);
    assertEquals(List.of(), leftover, "threads left behind");
  }

  @Test
  void builderRejectsBadSettingsNamingThem() {
    assertThrows(IllegalArgumentException.class, () -> DataLoader.builder().batchSize(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder().maxInFlight(-3));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
    IllegalStateException missing = assertThrows(IllegalStateException.class, () -> DataLoader.builder().build());
    assertTrue(missing.getMessage().contains("manifest"), missing.getMessage());
  }

  @Test
  void statsCountWhatWasDelivered() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 64, 2);
    try (DataLoader loader = loader(data, storeOf(data)).batchSize(16).build()) {
      readEpoch(loader, 0);
      LoaderStats s = loader.stats();
      assertEquals(64, s.samples());
      assertEquals(4, s.batches());
      assertEquals(64, s.gets());
      assertTrue(s.bytes() > 64, "bytes " + s.bytes());
      assertEquals(0, s.inFlight());
    }
  }
}
