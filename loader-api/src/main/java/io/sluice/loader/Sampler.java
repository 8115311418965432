package io.sluice.loader;

import io.sluice.loader.internal.Seeds;
import java.util.SplittableRandom;

/**
 * Chooses which manifest entries an epoch reads, and in what order.
 *
 * <p>A sampler is a pure function of its arguments: no I/O, no state, no clock. The same (size, seed,
 * epoch) always gives the same indices, which is what makes epochs reproducible and resumable.
 */
@FunctionalInterface
public interface Sampler {

  /**
   * The manifest indices to read in {@code epoch}, in reading order.
   *
   * @param size the number of manifest entries
   * @param seed the loader's seed
   * @param epoch the epoch, from 0
   */
  int[] indices(int size, long seed, int epoch);

  /** Every entry once per epoch in a fresh seeded random order each epoch (Fisher-Yates). */
  static Sampler shuffled() {
    return Samplers.SHUFFLED;
  }

  /** Every entry once per epoch in manifest order; the right choice for validation and test channels. */
  static Sampler sequential() {
    return Samplers.SEQUENTIAL;
  }
}

/** The stateless samplers, as enum singletons. */
enum Samplers implements Sampler {
  SHUFFLED {
    @Override
    public int[] indices(int size, long seed, int epoch) {
      int[] order = SEQUENTIAL.indices(size, seed, epoch);
      SplittableRandom random = Seeds.epochRandom(seed, epoch);
      for (int i = size - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      return order;
    }

    @Override
    public String toString() {
      return "shuffled";
    }
  },
  SEQUENTIAL {
    @Override
    public int[] indices(int size, long seed, int epoch) {
      if (size < 0) {
        throw new IllegalArgumentException("size must not be negative, was " + size);
      }
      if (epoch < 0) {
        throw new IllegalArgumentException("epoch must not be negative, was " + epoch);
      }
      int[] order = new int[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      return order;
    }

    @Override
    public String toString() {
      return "sequential";
    }
  }
}
