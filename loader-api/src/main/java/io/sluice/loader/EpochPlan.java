package io.sluice.loader;

import io.sluice.loader.manifest.Manifest;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one rank reads in one epoch: a pure function of (manifest, sampler, sharding, remainder policy, seed,
 * epoch, world, resume position). No I/O.
 *
 * <p>The steps: the sampler orders the whole channel for the epoch (the same order on every rank); the first
 * {@code start} positions, already read before a resume, are cut off; the rest is padded with repeats of its
 * first entries, or cut, to a multiple of the world size ({@link Remainder}); the sharding deals it out.
 * Every rank therefore reads the same number of samples, all ranks together read each remaining sample
 * exactly once (plus at most {@code W - 1} marked repeats), and the union over ranks of one epoch is a
 * permutation of the channel.
 */
public final class EpochPlan {
  private final int[] indices;
  private final int real;
  private final long start;
  private final int worldSize;
  private final boolean replicated;
  private final int channelSize;

  private EpochPlan(int[] indices, int real, long start, int worldSize, boolean replicated, int channelSize) {
    this.indices = indices;
    this.real = real;
    this.start = start;
    this.worldSize = worldSize;
    this.replicated = replicated;
    this.channelSize = channelSize;
  }

  /**
   * Computes the plan for {@code world.rank()}.
   *
   * @param start how many positions of the epoch's global order were read before (0 unless resuming)
   * @throws IllegalArgumentException if {@code start} is outside {@code [0, manifest.size()]}
   */
  public static EpochPlan compute(Manifest manifest, Sampler sampler, Sharding sharding, Remainder remainder,
      long seed, int epoch, World world, long start) {
    Objects.requireNonNull(world, "world");
    int[][] all = sequence(manifest, sampler, sharding, remainder, seed, epoch, world.size(), start);
    return of(all[0], all[1][0], sharding.shard(all[0], manifest, world), start, world.size(), sharding, manifest);
  }

  /** Every rank's plan at once (for simulations and tests); element {@code r} is rank {@code r}'s. */
  public static EpochPlan[] computeAll(Manifest manifest, Sampler sampler, Sharding sharding, Remainder remainder,
      long seed, int epoch, int worldSize, long start) {
    int[][] all = sequence(manifest, sampler, sharding, remainder, seed, epoch, worldSize, start);
    int[][] shards = sharding.shardAll(all[0], manifest, worldSize);
    EpochPlan[] plans = new EpochPlan[worldSize];
    for (int r = 0; r < worldSize; r++) {
      plans[r] = of(all[0], all[1][0], shards[r], start, worldSize, sharding, manifest);
    }
    return plans;
  }

  /** A rank's plan from its positions in the sequence; positions at or past {@code realLength} are pads. */
  private static EpochPlan of(int[] sequence, int realLength, int[] positions, long start, int worldSize,
      Sharding sharding, Manifest manifest) {
    int[] indices = new int[positions.length];
    int real = positions.length;
    for (int i = 0; i < positions.length; i++) {
      indices[i] = sequence[positions[i]];
      if (positions[i] >= realLength && real == positions.length) {
        real = i;
      }
    }
    for (int i = real; i < positions.length; i++) {
      if (positions[i] < realLength) {
        throw new IllegalStateException("sharding " + sharding + " put a real sample after a pad");
      }
    }
    return new EpochPlan(indices, real, start, worldSize, sharding.replicated(), manifest.size());
  }

  /** The padded (or cut) global sequence, and in a second array its count of real positions. */
  private static int[][] sequence(Manifest manifest, Sampler sampler, Sharding sharding, Remainder remainder, long seed,
      int epoch, int worldSize, long start) {
    Objects.requireNonNull(manifest, "manifest");
    int n = manifest.size();
    if (start < 0 || start > n) {
      throw new IllegalArgumentException("start position " + start + " is outside the epoch's " + n + " samples");
    }
    int[] order = sampler.indices(n, seed, epoch);
    if (order.length != n) {
      throw new IllegalStateException("sampler " + sampler + " returned " + order.length + " indices for " + n
          + " entries; a sampler must order every entry once");
    }
    int[] rest = Arrays.copyOfRange(order, (int) start, n);
    if (sharding.replicated() || rest.length % worldSize == 0) {
      return new int[][] {rest, {rest.length}};
    }
    int length = remainder == Remainder.DROP ? rest.length - rest.length % worldSize
        : rest.length + worldSize - rest.length % worldSize;
    int[] sequence = new int[length];
    for (int i = 0; i < length; i++) {
      // Pads repeat the start of the remaining sequence (the whole order if it is shorter than a world).
      sequence[i] = i < rest.length ? rest[i] : rest.length > 0 ? rest[(i - rest.length) % rest.length] : order[i % n];
    }
    return new int[][] {sequence, {Math.min(rest.length, length)}};
  }

  /**
   * How many samples each rank reads in an epoch, by arithmetic alone: what {@code compute(...).size()} gives,
   * without ordering anything.
   *
   * @param channelSize the manifest's entries
   * @param start positions of the epoch already read (0 unless resuming)
   */
  public static int samplesPerRank(int channelSize, long start, int worldSize, boolean replicated, Remainder remainder) {
    if (start < 0 || start > channelSize) {
      throw new IllegalArgumentException("start position " + start + " is outside the epoch's " + channelSize
          + " samples");
    }
    int rest = channelSize - (int) start;
    if (replicated) {
      return rest;
    }
    return remainder == Remainder.DROP ? rest / worldSize : (rest + worldSize - 1) / worldSize;
  }

  /** The manifest indices this rank reads, in order; repeats (pads) come last. */
  public int[] indices() {
    return indices.clone();
  }

  /** How many samples this rank reads. The same on every rank. */
  public int size() {
    return indices.length;
  }

  /** Whether position {@code i} of {@link #indices()} is a pad: a repeat marked so evaluation can ignore it. */
  public boolean padded(int i) {
    Objects.checkIndex(i, indices.length);
    return i >= real;
  }

  /** The number of pads, at most one. */
  public int pads() {
    return indices.length - real;
  }

  /**
   * The epoch's global position once every rank has read {@code perRank} samples of its plan: the resume
   * point, counted in the epoch's global order. At the end of the plan it is the channel size.
   */
  public long globalPosition(int perRank) {
    if (perRank < 0 || perRank > indices.length) {
      throw new IllegalArgumentException("samples read per rank must be in [0, " + indices.length + "], was " + perRank);
    }
    if (perRank == indices.length) {
      return channelSize;
    }
    long read = replicated ? perRank : (long) perRank * worldSize;
    return Math.min(channelSize, start + read);
  }
}
