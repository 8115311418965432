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

  /**
   * What identifies this sampler in a saved state. The default: the class name and, for a record, its components.
   *
   * @throws IllegalArgumentException for a lambda or an anonymous class, whose identity is not stable across JVMs
   */
  default StrategyId id() {
    return StrategyId.ofObject(this, "sampler");
  }

  /** Every entry once per epoch in a fresh seeded random order each epoch (Fisher-Yates). */
  static Sampler shuffled() {
    return Samplers.SHUFFLED;
  }

  /**
   * A locality-keeping shuffle: the manifest is cut into blocks of {@code blockSize} consecutive entries; each
   * epoch shuffles the order of the blocks and the entries within each block. Entries that sit together in
   * the manifest (a prefix, a shard of a bucket) are read close together in time.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive
   */
  static Sampler blocks(int blockSize) {
    return new BlockSampler(blockSize);
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
    public StrategyId id() {
      return StrategyId.of("shuffled");
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
    public StrategyId id() {
      return StrategyId.of("sequential");
    }

    @Override
    public String toString() {
      return "sequential";
    }
  }
}

/** {@link Sampler#blocks}. */
record BlockSampler(int blockSize) implements Sampler {
  BlockSampler {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, was " + blockSize);
    }
  }

  @Override
  public int[] indices(int size, long seed, int epoch) {
    int blocks = (size + blockSize - 1) / blockSize;
    int[] blockOrder = Samplers.SHUFFLED.indices(blocks, seed, epoch);
    SplittableRandom random = Seeds.epochRandom(~seed, epoch);
    int[] out = new int[size];
    int at = 0;
    for (int b : blockOrder) {
      int from = b * blockSize;
      int to = Math.min(size, from + blockSize);
      int start = at;
      for (int i = from; i < to; i++) {
        out[at++] = i;
      }
      for (int i = at - 1; i > start; i--) {
        int j = start + random.nextInt(i - start + 1);
        int t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
    }
    return out;
  }

  @Override
  public StrategyId id() {
    return new StrategyId("blocks", java.util.Map.of("blockSize", Integer.toString(blockSize)));
  }

  @Override
  public String toString() {
    return "blocks(" + blockSize + ")";
  }
}
