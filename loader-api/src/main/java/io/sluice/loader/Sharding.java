package io.sluice.loader;

import io.sluice.loader.manifest.Manifest;

/**
 * How an epoch's sample sequence is split among ranks. A pure function: no I/O, no state.
 *
 * <p>The loader hands it the epoch's global sequence of manifest indices (after shuffling, resuming and
 * padding or dropping to a multiple of the world size) and the rank; it returns the positions in that
 * sequence the rank reads, in order. Every rank gets the same count.
 */
public interface Sharding {

  /**
   * The positions of {@code sequence} that {@code world.rank()} reads, in reading order.
   *
   * @param sequence manifest indices; its length is a multiple of {@code world.size()} unless {@link #replicated}
   * @param manifest the manifest, for object sizes
   */
  int[] shard(int[] sequence, Manifest manifest, World world);

  /**
   * Every rank's part at once: {@code shards(...)[r]} equals {@code shard(sequence, manifest, World.of(r, worldSize))}.
   * Strategies override it when one pass serves all ranks.
   */
  default int[][] shardAll(int[] sequence, Manifest manifest, int worldSize) {
    int[][] out = new int[worldSize][];
    for (int r = 0; r < worldSize; r++) {
      out[r] = shard(sequence, manifest, World.of(r, worldSize));
    }
    return out;
  }

  /**
   * What identifies this sharding in a saved state. The default: the class name and, for a record, its components.
   *
   * @throws IllegalArgumentException for a lambda or an anonymous class, whose identity is not stable across JVMs
   */
  default StrategyId id() {
    return StrategyId.ofObject(this, "sharding");
  }

  /** Whether every rank reads the whole sequence (then the sequence needs no padding). */
  default boolean replicated() {
    return false;
  }

  /**
   * Disjoint shards by position (SageMaker's ShardedByS3Key): rank {@code r} reads positions {@code r},
   * {@code r + W}, {@code r + 2W}, ... of the sequence. After {@code k} samples per rank the whole world has
   * read exactly the first {@code k * W} positions, which is what makes elastic resume exact.
   */
  static Sharding byKey() {
    return Shardings.BY_KEY;
  }

  /** Every rank reads every sample (SageMaker's FullyReplicated). */
  static Sharding fullyReplicated() {
    return Shardings.FULLY_REPLICATED;
  }

  /**
   * Disjoint shards balanced by object bytes (sizes recorded in the manifest): positions are dealt out in
   * rounds of {@code W}, one per rank per round, and within a round the largest object goes to the rank with
   * the fewest bytes so far. Counts stay equal; bytes differ by at most about one object.
   */
  static Sharding byteBalanced() {
    return Shardings.BYTE_BALANCED;
  }
}

/** The stateless strategies, as enum singletons. */
enum Shardings implements Sharding {
  BY_KEY {
    @Override
    public int[] shard(int[] sequence, Manifest manifest, World world) {
      int w = world.size();
      int[] out = new int[sequence.length / w];
      for (int i = 0, p = world.rank(); i < out.length; i++, p += w) {
        out[i] = p;
      }
      return out;
    }

    @Override
    public StrategyId id() {
      return StrategyId.of("byKey");
    }

    @Override
    public String toString() {
      return "byKey";
    }
  },
  FULLY_REPLICATED {
    @Override
    public int[] shard(int[] sequence, Manifest manifest, World world) {
      int[] out = new int[sequence.length];
      java.util.Arrays.setAll(out, i -> i);
      return out;
    }

    @Override
    public boolean replicated() {
      return true;
    }

    @Override
    public StrategyId id() {
      return StrategyId.of("fullyReplicated");
    }

    @Override
    public String toString() {
      return "fullyReplicated";
    }
  },
  BYTE_BALANCED {
    @Override
    public int[] shard(int[] sequence, Manifest manifest, World world) {
      return shardAll(sequence, manifest, world.size())[world.rank()];
    }

    @Override
    public int[][] shardAll(int[] sequence, Manifest manifest, int w) {
      int rounds = sequence.length / w;
      long[] bytes = new long[w];
      int[][] out = new int[w][rounds];
      long[] items = new long[w];
      long[] ranks = new long[w];
      for (int round = 0; round < rounds; round++) {
        // Sort keys pack (what to sort by, tie-breaker) into one long so a primitive sort does it.
        for (int i = 0; i < w; i++) {
          int index = sequence[round * w + i];
          items[i] = (-size(manifest, index) << 24) | i;
          ranks[i] = (bytes[i] << 24) | i;
        }
        java.util.Arrays.sort(items);
        java.util.Arrays.sort(ranks);
        for (int i = 0; i < w; i++) {
          int rank = (int) (ranks[i] & 0xFFFFFF);
          int position = round * w + (int) (items[i] & 0xFFFFFF);
          bytes[rank] += size(manifest, sequence[position]);
          out[rank][round] = position;
        }
      }
      return out;
    }

    private long size(Manifest manifest, int index) {
      long s = manifest.objectSize(index);
      if (s < 0) {
        throw new SluiceException("byte-balanced sharding needs object sizes, but manifest entry " + index + " ("
            + manifest.uri(index) + ") has none: build the manifest from a listing, or use Sharding.byKey()",
            manifest.uri(index), false, null);
      }
      return s;
    }

    @Override
    public StrategyId id() {
      return StrategyId.of("byteBalanced");
    }

    @Override
    public String toString() {
      return "byteBalanced";
    }
  }
}
