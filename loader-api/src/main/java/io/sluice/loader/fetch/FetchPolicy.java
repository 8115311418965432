package io.sluice.loader.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How the loader fetches: retries, hedging, ranged reads of large objects, and what to do when all fails.
 *
 * <p>Immutable; build with {@link #builder()}, change with {@link #toBuilder()}.
 */
public final class FetchPolicy {
  /** {@link #maxAttempts()} when attempts are bounded by the retry budget alone. */
  public static final int UNLIMITED_ATTEMPTS = Integer.MAX_VALUE;

  private final int maxAttempts;
  private final Duration retryBudget;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration hedgeAfter;
  private final long rangeThreshold;
  private final long rangePartSize;
  private final FailurePolicy onFailure;

  private FetchPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.retryBudget = b.retryBudget;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.hedgeAfter = b.hedgeAfter;
    this.rangeThreshold = b.rangeThreshold;
    this.rangePartSize = b.rangePartSize;
    this.onFailure = b.onFailure;
  }

  /**
   * The defaults: retry for up to 60 s per object (attempts unlimited within that), backoff 50 ms doubling to 5 s
   * with full jitter, hedge after 2 s, ranges above 16 MB in parts of 8 MB, fail on a sample that still fails.
   */
  public static FetchPolicy defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.retryBudget = retryBudget;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.hedgeAfter = hedgeAfter;
    b.rangeThreshold = rangeThreshold;
    b.rangePartSize = rangePartSize;
    b.onFailure = onFailure;
    return b;
  }

  /** Attempts per request, the first included; {@link #UNLIMITED_ATTEMPTS} (the default) leaves it to the budget. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * How long after its first attempt a request may still be retried. A retry whose backoff would end past the
   * budget is not made; the request then fails with every attempt's cause.
   */
  public Duration retryBudget() {
    return retryBudget;
  }

  /** The backoff cap before the second attempt; it doubles per attempt up to {@link #maxBackoff()}. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The largest backoff cap. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** How long a GET may go unanswered before a second, hedged GET is sent; {@link Duration#ZERO} turns hedging off. */
  public Duration hedgeAfter() {
    return hedgeAfter;
  }

  /** Objects whose recorded size is above this many bytes are fetched as parallel ranged GETs. */
  public long rangeThreshold() {
    return rangeThreshold;
  }

  /** The size of each ranged GET. */
  public long rangePartSize() {
    return rangePartSize;
  }

  /** What happens to a sample that still fails after the last attempt. */
  public FailurePolicy onFailure() {
    return onFailure;
  }

  /**
   * The backoff before attempt {@code attempt + 1}: uniform in {@code [0, min(max, initial * 2^(attempt-1))]}
   * ("full jitter"), given a uniform draw {@code u} in {@code [0, 1)}.
   */
  public long backoffNanos(int attempt, double u) {
    long cap = initialBackoff.toNanos() << Math.min(30, attempt - 1);
    if (cap <= 0 || cap > maxBackoff.toNanos()) {
      cap = maxBackoff.toNanos();
    }
    return (long) (u * cap);
  }

  @Override
  public String toString() {
    return "FetchPolicy{retry for " + retryBudget.toMillis() + " ms"
        + (maxAttempts == UNLIMITED_ATTEMPTS ? "" : " or " + maxAttempts + " attempts") + ", backoff=" + initialBackoff.toMillis() + ".."
        + maxBackoff.toMillis() + " ms, hedgeAfter=" + hedgeAfter.toMillis() + " ms, ranges above " + rangeThreshold
        + " B in parts of " + rangePartSize + " B, onFailure=" + onFailure + "}";
  }

  /** Configures a {@link FetchPolicy}. Setters validate at once. */
  public static final class Builder {
    private int maxAttempts = UNLIMITED_ATTEMPTS;
    private Duration retryBudget = Duration.ofSeconds(60);
    private Duration initialBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration hedgeAfter = Duration.ofSeconds(2);
    private long rangeThreshold = 16L << 20;
    private long rangePartSize = 8L << 20;
    private FailurePolicy onFailure = FailurePolicy.fail();

    private Builder() {}

    /**
     * At most this many attempts per request, the first included, whatever remains of the retry budget. Default:
     * unlimited, so the {@link #retryBudget budget} alone decides.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * How long after a request's first attempt it may still be retried: the time the loader rides out a store
     * that is unreachable, resetting connections or answering 503 SlowDown, without failing the epoch. Default
     * 60 s. Permanent failures (not found, access denied, a changed pinned object) fail at once regardless.
     * {@link Duration#ZERO} turns retries off.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder retryBudget(Duration budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.isNegative()) {
        throw new IllegalArgumentException("retry budget must not be negative, was " + budget);
      }
      this.retryBudget = budget;
      return this;
    }

    /**
     * Backoff caps: the first retry waits up to {@code initial}, each later one up to twice the last, never
     * more than {@code max}. Defaults 50 ms and 5 s.
     *
     * @throws IllegalArgumentException if either is negative or {@code initial > max}
     */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || max.isNegative() || initial.compareTo(max) > 0) {
        throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial + " and " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Send a second GET for an object still unanswered after {@code delay}; the first answer wins. Default 2 s,
     * in line with AWS's advice for small objects; {@link Duration#ZERO} turns hedging off.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder hedgeAfter(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("hedge delay must not be negative, was " + delay);
      }
      this.hedgeAfter = delay;
      return this;
    }

    /**
     * Fetch objects larger than {@code threshold} bytes (by the size the manifest records) as ranged GETs of
     * {@code partSize} bytes in parallel. Defaults 16 MB and 8 MB.
     *
     * @throws IllegalArgumentException if either is not positive
     */
    public Builder ranges(long threshold, long partSize) {
      if (threshold <= 0 || partSize <= 0) {
        throw new IllegalArgumentException("range threshold and part size must be positive, were " + threshold
            + " and " + partSize);
      }
      this.rangeThreshold = threshold;
      this.rangePartSize = partSize;
      return this;
    }

    /** What to do with a sample that fails after the last attempt. Default {@link FailurePolicy#fail()}. */
    public Builder onFailure(FailurePolicy policy) {
      this.onFailure = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The immutable policy. */
    public FetchPolicy build() {
      return new FetchPolicy(this);
    }
  }
}
