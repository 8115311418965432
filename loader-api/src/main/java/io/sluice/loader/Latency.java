package io.sluice.loader;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * An immutable histogram of durations with about 6% precision, from 1 microsecond to days.
 *
 * <p>Buckets are log-linear: eight per power of two. Two snapshots of the same recorder subtract
 * ({@link #since}) to give the distribution of what happened in between.
 */
public final class Latency {
  static final int SUB_BUCKETS = 8;
  static final int BUCKETS = SUB_BUCKETS + 40 * SUB_BUCKETS;
  private static final Latency EMPTY = new Latency(new long[BUCKETS]);

  private final long[] counts;
  private final long total;

  private Latency(long[] counts) {
    this.counts = counts;
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    this.total = t;
  }

  /** A histogram with nothing recorded. */
  public static Latency empty() {
    return EMPTY;
  }

  /** A histogram from bucket counts as {@link #bucket} numbers them (copied). */
  public static Latency ofCounts(long[] counts) {
    if (counts.length != BUCKETS) {
      throw new IllegalArgumentException("expected " + BUCKETS + " bucket counts, got " + counts.length);
    }
    return new Latency(counts.clone());
  }

  /** The bucket a duration falls in. */
  public static int bucket(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    if (micros < SUB_BUCKETS) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    int sub = (int) ((micros >>> (exponent - 3)) & (SUB_BUCKETS - 1));
    return Math.min(BUCKETS - 1, SUB_BUCKETS + (exponent - 3) * SUB_BUCKETS + sub);
  }

  /** A representative duration for bucket {@code index}: the middle of its range. */
  static long valueNanos(int index) {
    if (index < SUB_BUCKETS) {
      return index * 1000L + 500;
    }
    int exponent = (index - SUB_BUCKETS) / SUB_BUCKETS + 3;
    int sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
    long low = (long) (SUB_BUCKETS + sub) << (exponent - 3);
    long width = 1L << (exponent - 3);
    return (low * 1000L) + width * 500L;
  }

  /** How many durations were recorded. */
  public long count() {
    return total;
  }

  /**
   * The duration below which {@code fraction} of the recorded ones fall.
   *
   * @param fraction in {@code [0, 1]}
   * @return the duration, or {@link Duration#ZERO} if nothing was recorded
   */
  public Duration percentile(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], was " + fraction);
    }
    if (total == 0) {
      return Duration.ZERO;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Duration.ofNanos(valueNanos(i));
      }
    }
    return Duration.ofNanos(valueNanos(counts.length - 1));
  }

  /** The median. */
  public Duration p50() {
    return percentile(0.5);
  }

  /** The 99th percentile. */
  public Duration p99() {
    return percentile(0.99);
  }

  /** The distribution of what was recorded after {@code earlier}, a snapshot of the same recorder. */
  public Latency since(Latency earlier) {
    long[] diff = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      diff[i] = Math.max(0, counts[i] - earlier.counts[i]);
    }
    return new Latency(diff);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Latency l && Arrays.equals(counts, l.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms (n=%d)", p50().toNanos() / 1e6, p99().toNanos() / 1e6,
        total);
  }
}
