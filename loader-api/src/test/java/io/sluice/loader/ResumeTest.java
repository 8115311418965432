package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.testing.SyntheticDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Exact mid-epoch resume, elastic resume across world sizes, and equal batch counts with marked pads. */
class ResumeTest {
  private static final SyntheticDataset DATA = new SyntheticDataset("mem://b/", 203, 3);
  private static final InMemoryObjectStore STORE = new InMemoryObjectStore();

  static {
    DATA.objects().forEach(STORE::put);
  }

  private static DataLoader.Builder loader() {
    return DataLoader.builder().manifest(DATA.manifest()).store(STORE).transform(SyntheticDataset.identify())
        .batchSize(10);
  }

  /** Each delivered row as (id, random draw, padded). */
  private static List<String> rows(Batch b) {
    List<String> out = new ArrayList<>();
    for (int r = 0; r < b.size(); r++) {
      out.add((int) b.features().getFloat(r, 0) + ":" + (int) b.features().getFloat(r, 1) + (b.padded()[r] ? "*" : ""));
    }
    return out;
  }

  private static List<String> drain(BatchIterator it) {
    List<String> out = new ArrayList<>();
    while (it.hasNext()) {
      out.addAll(rows(it.next()));
    }
    return out;
  }

  @Test
  void aResumedLoaderYieldsExactlyTheRemainingSamplesWithTheSameAugmentations() {
    List<String> whole;
    try (DataLoader l = loader().seed(9).build(); BatchIterator it = l.epoch(2)) {
      whole = drain(it);
    }
    for (int stopAfter : new int[] {0, 1, 7, 20, 21}) {
      LoaderState state;
      List<String> before = new ArrayList<>();
      try (DataLoader l = loader().seed(9).build(); BatchIterator it = l.epoch(2)) {
        for (int b = 0; b < stopAfter; b++) {
          before.addAll(rows(it.next()));
        }
        state = it.state();
      }
      String json = state.toJson();
      assertTrue(json.length() < 1024, "state is small: " + json);
      LoaderState back = LoaderState.fromJson(json);
      assertEquals(state, back);
      try (DataLoader resumed = loader().resumeFrom(back).build()) {
        ResumableDataSetIterator it = resumed.asDataSetIterator();
        List<String> after = new ArrayList<>();
        if (stopAfter < 21) {
          assertEquals(2, it.epoch(), "resumes in the saved epoch");
          while (it.hasNext()) {
            DataSet d = it.next();
            for (int r = 0; r < d.numExamples(); r++) {
              after.add((int) d.getFeatures().getFloat(r, 0) + ":" + (int) d.getFeatures().getFloat(r, 1));
            }
          }
        } else {
          assertEquals(3, it.epoch(), "a state taken at the end of epoch 2 resumes at the start of epoch 3");
        }
        List<String> joined = new ArrayList<>(before);
        joined.addAll(after);
        assertEquals(whole, joined, "stopped after " + stopAfter + " batches: " + json);
      }
    }
  }

  @Test
  void elasticResumeFromFourRanksToThreeLosesAndRepeatsNothing() {
    List<Integer> read = new ArrayList<>();
    LoaderState state = null;
    for (int rank = 0; rank < 4; rank++) {
      try (DataLoader l = loader().seed(4).world(rank, 4).build(); BatchIterator it = l.epoch(1)) {
        for (int b = 0; b < 2; b++) {
          Batch batch = it.next();
          for (int r = 0; r < batch.size(); r++) {
            if (!batch.padded()[r]) {
              read.add(batch.indices()[r]);
            }
          }
        }
        LoaderState s = it.state();
        if (state != null) {
          assertEquals(state, s, "every rank in lockstep has the same state");
        }
        state = s;
      }
    }
    assertEquals(80, state.position());
    assertEquals(4, state.worldSize());
    for (int rank = 0; rank < 3; rank++) {
      try (DataLoader l = loader().world(rank, 3).resumeFrom(state).build()) {
        assertEquals(1, l.asDataSetIterator().epoch());
        try (BatchIterator it = l.epoch(1)) {
          while (it.hasNext()) {
            Batch batch = it.next();
            for (int r = 0; r < batch.size(); r++) {
              if (!batch.padded()[r]) {
                read.add(batch.indices()[r]);
              }
            }
          }
        }
      }
    }
    assertArrayEquals(IntStream.range(0, 203).toArray(), read.stream().mapToInt(Integer::intValue).sorted().toArray());
  }

  @Test
  void resumingAgainstAnotherManifestSeedOrSamplingIsRefused() {
    LoaderState state;
    try (DataLoader l = loader().seed(1).build(); BatchIterator it = l.epoch(0)) {
      it.next();
      state = it.state();
    }
    Manifest other = new SyntheticDataset("mem://b/", 202, 3).manifest();
    SluiceException e = assertThrows(SluiceException.class, () -> loader().manifest(other).resumeFrom(state).build());
    assertTrue(e.getMessage().contains("cannot resume") && e.getMessage().contains(state.manifestDigest()),
        e.getMessage());
    e = assertThrows(SluiceException.class, () -> loader().seed(2).resumeFrom(state).build());
    assertTrue(e.getMessage().contains("seed 1"), e.getMessage());
    e = assertThrows(SluiceException.class, () -> loader().shuffle(false).resumeFrom(state).build());
    assertTrue(e.getMessage().contains("sampler shuffled but this loader uses sequential"), e.getMessage());
    e = assertThrows(SluiceException.class, () -> loader().sharding(Sharding.byteBalanced()).resumeFrom(state).build());
    assertTrue(e.getMessage().contains("sharding byKey but this loader uses byteBalanced"), e.getMessage());
    e = assertThrows(SluiceException.class, () -> loader().remainder(Remainder.DROP).resumeFrom(state).build());
    assertTrue(e.getMessage().contains("remainder PAD but this loader uses DROP"), e.getMessage());
    e = assertThrows(SluiceException.class, () -> LoaderState.fromJson("{\"manifest\": \"x\"}"));
    assertTrue(e.getMessage().contains("\"seed\""), e.getMessage());
  }

  @Test
  void aStateNamesItsStrategiesAsStructuredValuesAndParametersMustMatch() {
    LoaderState state;
    try (DataLoader l = loader().sampler(Sampler.blocks(16)).seed(4).build(); BatchIterator it = l.epoch(0)) {
      it.next();
      state = it.state();
    }
    assertEquals(new StrategyId("blocks", java.util.Map.of("blockSize", "16")), state.sampler());
    assertEquals(StrategyId.of("byKey"), state.sharding());
    assertEquals(Remainder.PAD, state.remainder());
    LoaderState read = LoaderState.fromJson(state.toJson());
    assertEquals(state, read, state.toJson());
    assertTrue(state.toJson().contains("\"sampler\":{\"kind\":\"blocks\",\"parameters\":{\"blockSize\":\"16\"}}"),
        state.toJson());
    SluiceException e = assertThrows(SluiceException.class,
        () -> loader().sampler(Sampler.blocks(32)).resumeFrom(read).build());
    assertTrue(e.getMessage().contains("blocks{blockSize=16} but this loader uses blocks{blockSize=32}"), e.getMessage());
    try (DataLoader l = loader().sampler(Sampler.blocks(16)).resumeFrom(read).build()) {
      assertEquals(4, l.epoch(0).state().seed(), "resumes with the same structured identity");
    }
  }

  /** A sampler of a user's own: a record, so its identity is its class name and components. */
  record EveryOther(int phase) implements Sampler {
    @Override
    public int[] indices(int size, long seed, int epoch) {
      return Sampler.sequential().indices(size, seed, epoch);
    }
  }

  @Test
  void aLambdaSamplerIsRefusedAtBuildAndARecordIsIdentifiedByItsComponents() {
    Sampler lambda = (size, seed, epoch) -> Sampler.sequential().indices(size, seed, epoch);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader().sampler(lambda).build());
    assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("not stable across JVMs"), e.getMessage());
    Sharding lambdaSharding = (sequence, manifest, world) -> Sharding.byKey().shard(sequence, manifest, world);
    e = assertThrows(IllegalArgumentException.class, () -> loader().sharding(lambdaSharding).build());
    assertTrue(e.getMessage().contains("sharding"), e.getMessage());
    assertEquals(new StrategyId(EveryOther.class.getName(), java.util.Map.of("phase", "3")), new EveryOther(3).id());
    try (DataLoader l = loader().sampler(new EveryOther(3)).build(); BatchIterator it = l.epoch(0)) {
      it.next();
      assertEquals(new EveryOther(3).id(), it.state().sampler());
    }
  }

  @Test
  void batchesPerEpochIsArithmeticAndAgreesWithThePlan() {
    for (int size : new int[] {1, 7, 203, 256}) {
      for (int world : new int[] {1, 3, 4, 16}) {
        for (Remainder r : Remainder.values()) {
          for (Sharding sh : new Sharding[] {Sharding.byKey(), Sharding.fullyReplicated()}) {
            Manifest m = new SyntheticDataset("mem://b/", size, 3).manifest();
            int planned = EpochPlan.compute(m, Sampler.shuffled(), sh, r, 1, 1, World.of(0, world), 0).size();
            assertEquals(planned, EpochPlan.samplesPerRank(size, 0, world, sh.replicated(), r),
                size + " over " + world + ", " + r + ", " + sh);
          }
        }
      }
    }
  }

  @Test
  void everyRankRunsTheSameBatchesAndPadsAreMaskedOut() {
    // 203 samples over 4 ranks: 51 each, one pad; batches of 10: 6 batches each, the last of 1.
    int pads = 0;
    for (int rank = 0; rank < 4; rank++) {
      try (DataLoader l = loader().world(rank, 4).build(); BatchIterator it = l.epoch(0)) {
        assertEquals(6, it.batches());
        assertEquals(6, l.batchesPerEpoch());
        int batches = 0;
        while (it.hasNext()) {
          Batch b = it.next();
          batches++;
          DataSet d = b.toDataSet();
          for (int r = 0; r < b.size(); r++) {
            if (b.padded()[r]) {
              pads++;
              assertEquals(0f, d.getLabelsMaskArray().getFloat(r, 0), "a pad is masked out");
            } else if (d.getLabelsMaskArray() != null) {
              assertEquals(1f, d.getLabelsMaskArray().getFloat(r, 0));
            }
          }
        }
        assertEquals(6, batches);
      }
    }
    assertEquals(1, pads);
    try (DataLoader l = loader().world(3, 4).remainder(Remainder.DROP).build(); BatchIterator it = l.epoch(0)) {
      assertEquals(5, it.batches(), "drop: 50 each");
      assertFalse(drain(it).stream().anyMatch(s -> s.endsWith("*")));
    }
  }

  @Test
  void unorderedLoadersRefuseToGiveAState() {
    try (DataLoader l = loader().ordered(false).build(); BatchIterator it = l.epoch(0)) {
      it.next();
      assertThrows(IllegalStateException.class, it::state);
    }
  }
}
