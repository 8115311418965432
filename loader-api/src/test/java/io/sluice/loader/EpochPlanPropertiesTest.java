package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The invariants of sharding, shuffling, equal batches and resume, over random channel sizes, worlds, seeds
 * and epochs. Pure functions, so thousands of cases run in well under a second each.
 */
class EpochPlanPropertiesTest {

  private static final LabelMap ONE = LabelMap.sorted(List.of("c"));

  /** A manifest of {@code n} entries with sizes drawn from (seed): 10 KB to 1 MB. */
  static Manifest manifest(int n, long seed) {
    Manifest.Builder b = Manifest.builder("s3://b/", ONE);
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b.add("c/" + i, 0, r.nextLong(10_000, 1_000_000), null, null);
    }
    return b.build();
  }

  @Provide
  Arbitrary<Sharding> disjoint() {
    return Arbitraries.of(Sharding.byKey(), Sharding.byteBalanced());
  }

  @Provide
  Arbitrary<Sampler> samplers() {
    return Arbitraries.of(Sampler.shuffled(), Sampler.sequential(), Sampler.blocks(7), Sampler.blocks(100));
  }

  @Property(tries = 400)
  void everyRankReadsTheSameCountAndTogetherTheyReadEachSampleOnce(
      @ForAll @IntRange(min = 0, max = 3000) int n, @ForAll @IntRange(min = 1, max = 64) int world,
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 1000) int epoch, @ForAll("disjoint") Sharding sharding,
      @ForAll("samplers") Sampler sampler, @ForAll Remainder remainder) {
    Manifest m = manifest(n, seed);
    EpochPlan[] plans = EpochPlan.computeAll(m, sampler, sharding, remainder, seed, epoch, world, 0);
    int expected = remainder == Remainder.PAD ? (n + world - 1) / world : n / world;
    int[] order = sampler.indices(n, seed, epoch);
    Set<Integer> real = new HashSet<>();
    int pads = 0;
    for (int r = 0; r < world; r++) {
      EpochPlan single = EpochPlan.compute(m, sampler, sharding, remainder, seed, epoch, World.of(r, world), 0);
      assertArrayEquals(plans[r].indices(), single.indices(), "computeAll agrees with compute for rank " + r);
      assertEquals(expected, plans[r].size(), "rank " + r + " count");
      assertTrue(plans[r].pads() <= 1);
      int[] idx = plans[r].indices();
      for (int i = 0; i < idx.length; i++) {
        if (plans[r].padded(i)) {
          pads++;
          assertTrue(i == idx.length - 1, "pads come last");
        } else {
          assertTrue(real.add(idx[i]), "sample " + idx[i] + " read twice");
        }
      }
    }
    if (remainder == Remainder.PAD) {
      assertEquals(n, real.size(), "every sample read");
      assertEquals(n == 0 ? 0 : (world - n % world) % world, pads);
    } else {
      Set<Integer> kept = new HashSet<>();
      for (int i = 0; i < n - n % world; i++) {
        kept.add(order[i]);
      }
      assertEquals(kept, real, "all but the last n % W of the order");
      assertEquals(0, pads);
    }
  }

  @Property(tries = 200)
  void equalBatchCountsForOneToSixtyFourRanks(@ForAll @IntRange(min = 1, max = 5000) int n,
      @ForAll @IntRange(min = 1, max = 64) int world, @ForAll @IntRange(min = 1, max = 97) int batch,
      @ForAll Remainder remainder, @ForAll long seed) {
    Manifest m = manifest(n, 1);
    Set<Integer> batchCounts = new HashSet<>();
    for (EpochPlan p : EpochPlan.computeAll(m, Sampler.shuffled(), Sharding.byKey(), remainder, seed, 0, world, 0)) {
      batchCounts.add((p.size() + batch - 1) / batch);
    }
    assertEquals(1, batchCounts.size(), "batch counts per rank: " + batchCounts);
  }

  @Property(tries = 300)
  void resumingWithAnotherWorldSizeLosesAndRepeatsNothing(@ForAll @IntRange(min = 1, max = 3000) int n,
      @ForAll @IntRange(min = 1, max = 32) int before, @ForAll @IntRange(min = 1, max = 32) int after,
      @ForAll @IntRange(min = 1, max = 64) int batch, @ForAll @IntRange(min = 0, max = 200) int batchesRead,
      @ForAll long seed, @ForAll("disjoint") Sharding sharding) {
    Manifest m = manifest(n, seed);
    EpochPlan[] first = EpochPlan.computeAll(m, Sampler.shuffled(), sharding, Remainder.PAD, seed, 3, before, 0);
    int perRank = Math.min(first[0].size(), batchesRead * batch);
    List<Integer> read = new ArrayList<>();
    for (EpochPlan p : first) {
      int[] idx = p.indices();
      for (int i = 0; i < perRank; i++) {
        if (!p.padded(i)) {
          read.add(idx[i]);
        }
      }
    }
    long position = first[0].globalPosition(perRank);
    if (position < n) {
      for (EpochPlan p : EpochPlan.computeAll(m, Sampler.shuffled(), sharding, Remainder.PAD, seed, 3, after, position)) {
        int[] idx = p.indices();
        for (int i = 0; i < idx.length; i++) {
          if (!p.padded(i)) {
            read.add(idx[i]);
          }
        }
      }
    }
    int[] sorted = read.stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    assertArrayEquals(all, sorted, "every sample of the epoch exactly once across the interruption");
  }

  @Property(tries = 100)
  void fullyReplicatedGivesEveryRankTheWholeOrder(@ForAll @IntRange(min = 0, max = 2000) int n,
      @ForAll @IntRange(min = 1, max = 16) int world, @ForAll long seed) {
    Manifest m = manifest(n, seed);
    int[] order = Sampler.shuffled().indices(n, seed, 2);
    for (EpochPlan p : EpochPlan.computeAll(m, Sampler.shuffled(), Sharding.fullyReplicated(), Remainder.PAD, seed, 2,
        world, 0)) {
      assertArrayEquals(order, p.indices());
      assertEquals(0, p.pads());
    }
  }

  @Property(tries = 200)
  void blockShuffleIsAPermutationThatKeepsBlocksTogether(@ForAll @IntRange(min = 0, max = 3000) int n,
      @ForAll @IntRange(min = 1, max = 200) int block, @ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int epoch) {
    int[] order = Sampler.blocks(block).indices(n, seed, epoch);
    int[] sorted = order.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < n; i++) {
      assertEquals(i, sorted[i]);
    }
    int start = 0;
    while (start < n) {
      int b = order[start] / block;
      int length = Math.min(block, n - b * block); // the last block may be short
      for (int i = start; i < start + length; i++) {
        assertEquals(b, order[i] / block, "block " + b + " is read contiguously");
      }
      start += length;
    }
  }

  @Property(tries = 50)
  void byteBalancedKeepsBytesWithinAboutOneObject(@ForAll @IntRange(min = 1000, max = 20000) int n,
      @ForAll @IntRange(min = 2, max = 64) int world, @ForAll long seed) {
    Manifest m = manifest(n, seed);
    long max = Long.MIN_VALUE;
    long min = Long.MAX_VALUE;
    for (EpochPlan p : EpochPlan.computeAll(m, Sampler.shuffled(), Sharding.byteBalanced(), Remainder.DROP, seed, 0,
        world, 0)) {
      long bytes = 0;
      for (int i : p.indices()) {
        bytes += m.objectSize(i);
      }
      max = Math.max(max, bytes);
      min = Math.min(min, bytes);
    }
    assertTrue(max - min <= 1_000_000, "byte imbalance " + (max - min) + " is more than the largest object");
  }
}
