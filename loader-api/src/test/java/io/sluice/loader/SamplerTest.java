package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

  @Test
  void shuffledIsASeededPermutationPerEpoch() {
    SplittableRandom cases = new SplittableRandom(1);
    for (int c = 0; c < 200; c++) {
      int size = cases.nextInt(0, 5000);
      long seed = cases.nextLong();
      int epoch = cases.nextInt(0, 1000);
      int[] order = Sampler.shuffled().indices(size, seed, epoch);
      int[] sorted = order.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < size; i++) {
        assertEquals(i, sorted[i], "a permutation of 0.." + (size - 1));
      }
      assertArrayEquals(order, Sampler.shuffled().indices(size, seed, epoch), "a pure function");
      if (size > 20) {
        assertFalse(Arrays.equals(order, Sampler.shuffled().indices(size, seed, epoch + 1)), "epochs differ");
        assertFalse(Arrays.equals(order, Sampler.shuffled().indices(size, seed + 1, epoch)), "seeds differ");
      }
    }
  }

  @Test
  void shuffleIsRoughlyUniform() {
    int size = 5;
    int[][] counts = new int[size][size];
    for (int epoch = 0; epoch < 50_000; epoch++) {
      int[] order = Sampler.shuffled().indices(size, 99, epoch);
      for (int pos = 0; pos < size; pos++) {
        counts[order[pos]][pos]++;
      }
    }
    for (int[] row : counts) {
      for (int n : row) {
        assertEquals(10_000, n, 500, "each item lands in each position about 1/5 of the time");
      }
    }
  }

  @Test
  void sequentialIsTheIdentity() {
    assertArrayEquals(new int[] {0, 1, 2, 3}, Sampler.sequential().indices(4, 5, 6));
  }
}
