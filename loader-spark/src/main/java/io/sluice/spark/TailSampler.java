package io.sluice.spark;

import io.sluice.loader.Sampler;
import io.sluice.loader.StrategyId;
import java.util.Arrays;

/**
 * A sampler whose order ends with the given entries, in the given order: a loader resumed at position
 * {@code size - tail.length} then reads exactly those entries, so a task reads its batch range and nothing after
 * it. Each entry keeps its manifest index, so its random draws are those of the one-process run.
 */
final class TailSampler implements Sampler {
  private final int epoch;
  private final int[] tail;

  /**
   * @throws IllegalArgumentException if {@code tail} repeats an index
   */
  TailSampler(int epoch, int[] tail) {
    this.epoch = epoch;
    this.tail = tail.clone();
    int[] sorted = tail.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("entry " + sorted[i] + " appears twice in one read");
      }
    }
  }

  @Override
  public int[] indices(int size, long seed, int epoch) {
    if (epoch != this.epoch) {
      throw new IllegalStateException("this read was planned for epoch " + this.epoch + ", not " + epoch);
    }
    boolean[] inTail = new boolean[size];
    for (int i : tail) {
      if (i < 0 || i >= size) {
        throw new IllegalStateException("entry " + i + " is outside the manifest's " + size + " entries");
      }
      inTail[i] = true;
    }
    int[] order = new int[size];
    int at = 0;
    for (int i = 0; i < size; i++) {
      if (!inTail[i]) {
        order[at++] = i;
      }
    }
    System.arraycopy(tail, 0, order, at, tail.length);
    return order;
  }

  /** Its epoch and its entries: two reads of different ranges never share an identity. */
  @Override
  public StrategyId id() {
    return new StrategyId("io.sluice.spark.tail", java.util.Map.of("epoch", Integer.toString(epoch), "entries",
        Arrays.toString(tail)));
  }

  @Override
  public String toString() {
    return "tail(epoch " + epoch + ", " + tail.length + " entries)";
  }
}
