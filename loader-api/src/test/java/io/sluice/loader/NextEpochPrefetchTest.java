package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.EpochChecks;
import io.sluice.loader.testing.SyntheticDataset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The DL4J iterators start the next epoch early: once an epoch's fetches are all issued, the part of the consumer's
 * window past its last batch goes to the next epoch, so that epoch's first batches are fetched before the consumer
 * calls {@code reset()}, with the same batches, the same window and no GET twice.
 */
class NextEpochPrefetchTest {
  private static final int SAMPLES = 20;
  private static final int BATCH = 4; // 5 batches per epoch
  private static final int PREFETCH = 2;

  /** An in-memory store that records every GET in the order they arrive and lets a test wait for a count. */
  private static final class RecordingStore implements ObjectStore {
    private final InMemoryObjectStore delegate = new InMemoryObjectStore();
    private final List<String> gets = new ArrayList<>();
    private final Semaphore arrived = new Semaphore(0);

    RecordingStore(SyntheticDataset data) {
      data.objects().forEach(delegate::put);
    }

    @Override
    public CompletableFuture<StoredObject> get(ObjectRef ref) {
      synchronized (gets) {
        gets.add(ref.uri());
      }
      arrived.release();
      return delegate.get(ref);
    }

    @Override
    public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
      return delegate.list(prefixUri);
    }

    /** Waits (a hang guard, not a timing check) until {@code count} GETs have arrived in all. */
    void awaitGets(int count) throws InterruptedException {
      assertTrue(arrived.tryAcquire(count, 60, TimeUnit.SECONDS), "waited for " + count + " GETs; saw " + gets());
      arrived.release(count);
    }

    List<String> gets() {
      synchronized (gets) {
        return List.copyOf(gets);
      }
    }

    /**
     * The objects fetched more often than {@code epochs} times: with every epoch reading every object once, the
     * objects of the epoch after those that fetched early. (The order of GETs says less: an epoch's last requests
     * may reach the store after the next epoch's first.)
     */
    Set<String> fetchedMoreThan(int epochs) {
      Map<String, Integer> counts = new HashMap<>();
      gets().forEach(uri -> counts.merge(uri, 1, Integer::sum));
      Set<String> more = new HashSet<>();
      counts.forEach((uri, n) -> {
        if (n > epochs) {
          more.add(uri);
        }
      });
      return more;
    }
  }

  private static DataLoader.Builder builder(SyntheticDataset data, ObjectStore store) {
    return DataLoader.builder().manifest(data.manifest()).store(store).transform(SyntheticDataset.identify())
        .batchSize(BATCH).prefetchBatches(PREFETCH).seed(7);
  }

  /** The URIs of the samples of {@code epoch}, in reading order, from a loader of its own. */
  private static List<String> readingOrder(SyntheticDataset data, int epoch) {
    RecordingStore store = new RecordingStore(data);
    try (DataLoader loader = builder(data, store).build()) {
      List<String> uris = new ArrayList<>();
      for (int id : EpochChecks.ids(EpochChecks.readEpoch(loader, epoch))) {
        uris.add(data.uri(id));
      }
      return uris;
    }
  }

  /** Reads {@code epoch} to its end and closes it: the URIs of its samples in reading order. */
  private static List<String> uris(SyntheticDataset data, BatchIterator epoch) {
    List<String> uris = new ArrayList<>();
    try (epoch) {
      epoch.forEachRemaining(b -> {
        for (int i : b.indices()) {
          uris.add(data.uri(i));
        }
      });
    }
    return uris;
  }

  private static List<Integer> ids(DataSetIterator it, int batches) {
    List<Integer> ids = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      DataSet d = it.next();
      for (int r = 0; r < d.numExamples(); r++) {
        ids.add((int) d.getFeatures().getFloat(r, 0));
      }
    }
    return ids;
  }

  @Test
  void theDl4jIteratorFetchesTheNextEpochsFirstBatchesBeforeReset() throws InterruptedException {
    SyntheticDataset data = new SyntheticDataset("mem://b/", SAMPLES, 2);
    List<String> epoch1 = readingOrder(data, 1);
    RecordingStore store = new RecordingStore(data);
    try (DataLoader loader = builder(data, store).build()) {
      DataSetIterator it = loader.asDataSetIterator();
      List<Integer> first = ids(it, SAMPLES / BATCH);
      assertEquals(SAMPLES, new HashSet<>(first).size());
      // Every batch of epoch 0 is taken and reset() not yet called: the window's PREFETCH batches reach into epoch 1.
      store.awaitGets(SAMPLES + PREFETCH * BATCH);
      assertEquals(Set.copyOf(epoch1.subList(0, PREFETCH * BATCH)), store.fetchedMoreThan(1),
          "the first " + PREFETCH + " batches of epoch 1, fetched before the consumer asked");

      it.reset();
      List<Integer> second = ids(it, SAMPLES / BATCH);
      List<String> secondUris = second.stream().map(data::uri).toList();
      assertEquals(epoch1, secondUris, "the same batches as a loader that did not start early");
      List<String> all = store.gets();
      assertTrue(all.size() <= 2 * SAMPLES + PREFETCH * BATCH,
          "no more than the window ahead into epoch 2: " + all.size() + " GETs");
      Set<String> epoch2 = Set.copyOf(readingOrder(data, 2).subList(0, PREFETCH * BATCH));
      assertTrue(epoch2.containsAll(store.fetchedMoreThan(2)),
          "each object of epoch 1 fetched once; a third GET only for epoch 2's first batches: " + all);
    }
  }

  @Test
  void epochsOpenedDirectlyStartNothingAfterThemAndAnotherEpochDropsTheEarlyOne() throws InterruptedException {
    SyntheticDataset data = new SyntheticDataset("mem://b/", SAMPLES, 2);
    RecordingStore store = new RecordingStore(data);
    try (DataLoader loader = builder(data, store).build()) {
      assertEquals(readingOrder(data, 0), uris(data, loader.epoch(0)));
      assertEquals(readingOrder(data, 1), uris(data, loader.epoch(1)));
      assertEquals(2 * SAMPLES, store.gets().size(), "epoch(e) starts nothing after it");
      DataSetIterator it = loader.asDataSetIterator(); // epoch 0, then epoch 1 early
      ids(it, SAMPLES / BATCH);
      store.awaitGets(3 * SAMPLES + PREFETCH * BATCH);
      // epoch 5 instead of the early epoch 1: that is closed, and epoch 5 read from its start, exactly
      assertEquals(readingOrder(data, 5), uris(data, loader.epoch(5)));
      it.reset(); // epoch 1 again, opened afresh
      assertEquals(readingOrder(data, 1), ids(it, SAMPLES / BATCH).stream().map(data::uri).toList());
    }
  }

  @Test
  void resumeStateOfAnEpochStartedEarlyIsExact() throws InterruptedException {
    SyntheticDataset data = new SyntheticDataset("mem://b/", SAMPLES, 2);
    RecordingStore store = new RecordingStore(data);
    LoaderState state;
    List<Integer> rest = new ArrayList<>();
    try (DataLoader loader = builder(data, store).build()) {
      DataSetIterator it = loader.asDataSetIterator();
      ids(it, SAMPLES / BATCH);
      store.awaitGets(SAMPLES + PREFETCH * BATCH);
      it.reset();
      ids(it, 2);
      state = ((ResumableDataSetIterator) it).state();
      rest.addAll(ids(it, SAMPLES / BATCH - 2));
    }
    assertEquals(1, state.epoch());
    try (DataLoader resumed = builder(data, new RecordingStore(data)).resumeFrom(state).build()) {
      DataSetIterator it = resumed.asDataSetIterator();
      assertEquals(rest, ids(it, SAMPLES / BATCH - 2), "resuming inside an epoch that started early");
    }
  }
}
