package io.sluice.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.EpochPlan;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.InMemoryObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** {@link RoundReader} against the one-process loader, over an in-memory store (no Spark). */
class RoundReaderTest {
  private static final long SEED = 11;

  private static Manifest manifest(InMemoryObjectStore store, int count) throws IOException {
    StringBuilder text = new StringBuilder("[{\"prefix\": \"mem://data/\"}");
    Random random = new Random(count);
    for (int i = 0; i < count; i++) {
      int c = i % TestData.CLASSES.size();
      String key = TestData.CLASSES.get(c) + "/" + i + ".png";
      store.put("mem://data/" + key, TestData.png(c, random));
      text.append(",\"").append(key).append('"');
    }
    text.append(']');
    return Manifests.readManifestFile(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
        "train.manifest", null);
  }

  private static ShardJob job(InMemoryObjectStore store, Manifest manifest, int batchSize, int shards) {
    return new ShardJob(ManifestSource.at("mem://train.manifest"), manifest.digest(), () -> store, TestData.chain(),
        LoaderTuning.defaults(), batchSize, SEED, shards);
  }

  @ParameterizedTest(name = "{0} entries, {1} shards, batch {2}, {3} batches per round")
  @CsvSource({"24, 2, 4, 2", "13, 2, 4, 2", "13, 3, 2, 1", "14, 4, 3, 5", "7, 3, 4, 1"})
  void roundsGiveTheOneProcessBatchesAndFetchEachPlannedEntryOnce(int count, int shards, int batchSize,
      int perRound) throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    Manifest manifest = manifest(store, count);
    ShardJob job = job(store, manifest, batchSize, shards);
    for (int epoch = 0; epoch < 2; epoch++) {
      List<String> expected = TestData.oneProcessHashes(manifest, store, batchSize, SEED, shards, epoch);
      List<String> actual = new ArrayList<>();
      long planned = 0;
      long before = store.gets();
      BitSet seen = new BitSet();
      for (int shard = 0; shard < shards; shard++) {
        EpochPlan plan = RoundReader.plan(manifest, SEED, epoch, shard, shards);
        planned += plan.size();
        for (int i : plan.indices()) {
          seen.set(i);
        }
        int batches = RoundReader.batchCount(plan.size(), batchSize);
        for (int from = 0; from < batches; from += perRound) {
          int to = Math.min(batches, from + perRound);
          try (RoundReader reader = new RoundReader(job, manifest, store, epoch, shard, from, to, null)) {
            for (int b = from; b < to; b++) {
              DataSet ds = reader.next(b);
              actual.add(TestData.hash(ds.getFeatures(), ds.getLabels(), ds.getLabelsMaskArray()));
            }
            assertTrue(reader.finished());
          }
        }
      }
      assertEquals(expected, actual, "epoch " + epoch + ": batches, in order, equal the one-process run's");
      assertEquals(planned, store.gets() - before, "each planned entry (pads included) is fetched once");
      assertEquals(count, seen.cardinality(), "the shards cover the manifest");
    }
  }

  @Test
  void aTaskFetchesItsRangeConcurrently() throws IOException {
    InMemoryObjectStore memory = new InMemoryObjectStore();
    Manifest manifest = manifest(memory, 64);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    // Each GET is answered 20 ms after it was issued, so requests issued together overlap.
    ObjectStore slow = new ObjectStore() {
      @Override
      public CompletableFuture<StoredObject> get(ObjectRef ref) {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        CompletableFuture<StoredObject> answer = new CompletableFuture<>();
        timer.schedule(() -> memory.get(ref).whenComplete((object, error) -> {
          inFlight.decrementAndGet();
          if (error != null) {
            answer.completeExceptionally(error);
          } else {
            answer.complete(object);
          }
        }), 20, TimeUnit.MILLISECONDS);
        return answer;
      }

      @Override
      public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
        return memory.list(prefixUri);
      }
    };
    try (RoundReader reader = new RoundReader(job(memory, manifest, 8, 2), manifest, slow, 0, 0, 0, 4, null)) {
      for (int b = 0; b < 4; b++) {
        reader.next(b);
      }
    } finally {
      timer.shutdownNow();
    }
    System.out.println("peak GETs in flight in one task's range: " + peak.get());
    assertTrue(peak.get() >= 8, "GETs overlapped: peak " + peak.get());
  }

  @Test
  void refusesABatchOutOfOrder() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    Manifest manifest = manifest(store, 12);
    try (RoundReader reader = new RoundReader(job(store, manifest, 2, 2), manifest, store, 0, 1, 0, 3, null)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.next(1));
      assertTrue(e.getMessage().contains("is at batch 0"), e.getMessage());
      assertFalse(reader.finished());
    }
  }

  @Test
  void theStateRecordsTheTailSamplersIdentity() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    Manifest manifest = manifest(store, 6);
    TailSampler sampler = new TailSampler(0, new int[] {5, 1});
    try (DataLoader loader = DataLoader.builder().manifest(manifest).store(store).transform(TestData.chain().create())
        .batchSize(2).sampler(sampler).sharding(RoundReader.SHARDING).remainder(RoundReader.REMAINDER).build();
        BatchIterator batches = loader.epoch(0)) {
      assertEquals(sampler.id(), batches.state().sampler());
      assertEquals(RoundReader.SHARDING.id(), batches.state().sharding());
      assertEquals(RoundReader.REMAINDER, batches.state().remainder());
    }
  }
}
