package io.sluice.loader;

import java.util.Map;

/**
 * Which training process this is, of how many: the loader reads the shard of {@code rank} among {@code size}.
 *
 * <p>{@code localRank} and {@code localSize} place the process within its machine (one per GPU); the global
 * rank is what selects the shard.
 *
 * @param rank this process's global rank, in {@code [0, size)}
 * @param size the number of processes reading the channel
 * @param localRank this process's rank on its machine, in {@code [0, localSize)}
 * @param localSize processes per machine
 */
public record World(int rank, int size, int localRank, int localSize) {

  /** Validates the ranks. */
  public World {
    if (size < 1) {
      throw new IllegalArgumentException("world size must be positive, was " + size);
    }
    if (rank < 0 || rank >= size) {
      throw new IllegalArgumentException("rank must be in [0, " + size + "), was " + rank);
    }
    if (localSize < 1 || localSize > size) {
      throw new IllegalArgumentException("local world size must be in [1, " + size + "], was " + localSize);
    }
    if (localRank < 0 || localRank >= localSize) {
      throw new IllegalArgumentException("local rank must be in [0, " + localSize + "), was " + localRank);
    }
  }

  /** One process: rank 0 of 1. */
  public static World single() {
    return new World(0, 1, 0, 1);
  }

  /** Rank {@code rank} of {@code size}, one process per machine. */
  public static World of(int rank, int size) {
    return new World(rank, size, 0, 1);
  }

  /**
   * Node {@code node}'s process {@code localRank} of {@code localSize} per node: global rank
   * {@code node * localSize + localRank} of {@code nodes * localSize}.
   */
  public static World ofNode(int node, int nodes, int localRank, int localSize) {
    if (nodes < 1 || node < 0 || node >= nodes) {
      throw new IllegalArgumentException("node must be in [0, nodes) with nodes >= 1, was node " + node + " of "
          + nodes);
    }
    return new World(node * localSize + localRank, nodes * localSize, localRank, localSize);
  }

  /**
   * From the usual variables of distributed launchers: {@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK},
   * {@code LOCAL_WORLD_SIZE}. Missing ones default to a single process; local ones default to one per machine.
   *
   * @throws IllegalArgumentException naming the variable if one is not a number or out of range
   */
  public static World fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** As {@link #fromEnvironment()}, from the given variables. */
  public static World fromEnvironment(Map<String, String> env) {
    int size = read(env, "WORLD_SIZE", 1);
    int rank = read(env, "RANK", 0);
    int localSize = read(env, "LOCAL_WORLD_SIZE", 1);
    int localRank = read(env, "LOCAL_RANK", 0);
    try {
      return new World(rank, size, localRank, localSize);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("environment RANK=" + env.get("RANK") + " WORLD_SIZE=" + env.get("WORLD_SIZE")
          + " LOCAL_RANK=" + env.get("LOCAL_RANK") + " LOCAL_WORLD_SIZE=" + env.get("LOCAL_WORLD_SIZE")
          + " is not a valid world: " + e.getMessage(), e);
    }
  }

  private static int read(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("environment variable " + name + "='" + v + "' is not a whole number", e);
    }
  }

  @Override
  public String toString() {
    return "rank " + rank + " of " + size + (localSize > 1 ? " (local " + localRank + " of " + localSize + ")" : "");
  }
}
