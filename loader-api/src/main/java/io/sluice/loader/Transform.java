package io.sluice.loader;

import java.util.Objects;

/**
 * One step of the transform chain: turns an {@code I} into an {@code O} for one sample.
 *
 * <p>Transforms must be stateless and thread-safe: the loader runs one chain on many threads at once.
 * Random steps draw only from {@link SampleContext#random()}, which makes their output a function of
 * (seed, epoch, sample index) alone. Chains are built with {@link #andThen} and are immutable.
 *
 * @param <I> the input type, e.g. {@link io.sluice.loader.store.StoredObject} for the first step
 * @param <O> the output type; the last step of a loader's chain yields {@link Features}
 */
@FunctionalInterface
public interface Transform<I, O> {

  /**
   * Applies this step.
   *
   * @throws SluiceException (or any runtime exception, which the loader wraps with the key) when the
   *     input cannot be transformed
   */
  O apply(I input, SampleContext context);

  /**
   * Whether this step's output is a function of its input alone: it draws nothing from
   * {@link SampleContext#random()} and reads nothing else that varies. The steps before a chain's first
   * non-deterministic one form its deterministic prefix, which a {@link DataLoader.Builder#prefixCache prefix
   * cache} computes once per object. Default false, which is always safe.
   */
  default boolean deterministic() {
    return false;
  }

  /**
   * How to keep this step's output in a prefix cache, or {@code null} (the default) if it cannot be kept; a
   * deterministic prefix ends at a step that has one.
   */
  default PrefixCodec<O> prefixCodec() {
    return null;
  }

  /** A chain that runs this step, then {@code next} on its output. */
  default <R> Transform<I, R> andThen(Transform<? super O, ? extends R> next) {
    Objects.requireNonNull(next, "next");
    return new Chain<>(this, next);
  }

  /** The transform that returns its input. */
  static <T> Transform<T, T> identity() {
    return Identity.instance();
  }

  /** Two steps run one after the other. */
  final class Chain<I, M, O> implements Transform<I, O> {
    private final Transform<I, M> first;
    private final Transform<? super M, ? extends O> second;

    Chain(Transform<I, M> first, Transform<? super M, ? extends O> second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public O apply(I input, SampleContext context) {
      return second.apply(first.apply(input, context), context);
    }

    /**
     * Appends {@code next} to the last step, so a step that fuses with what follows it (a crop with a flip, say)
     * does so inside a longer chain as well; the chain runs and prints the same.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <R> Transform<I, R> andThen(Transform<? super O, ? extends R> next) {
      Objects.requireNonNull(next, "next");
      return new Chain(first, ((Transform) second).andThen(next));
    }

    /** The step (or chain) run first. */
    public Transform<I, M> first() {
      return first;
    }

    /** The step (or chain) run on the first's output. */
    public Transform<? super M, ? extends O> second() {
      return second;
    }

    @Override
    public boolean deterministic() {
      return first.deterministic() && second.deterministic();
    }

    @Override
    @SuppressWarnings("unchecked")
    public PrefixCodec<O> prefixCodec() {
      return (PrefixCodec<O>) second.prefixCodec();
    }

    @Override
    public String toString() {
      return first + " -> " + second;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chain<?, ?, ?> c && first.equals(c.first) && second.equals(c.second);
    }

    @Override
    public int hashCode() {
      return 31 * first.hashCode() + second.hashCode();
    }
  }

  /** The identity step. */
  final class Identity<T> implements Transform<T, T> {
    private static final Identity<?> INSTANCE = new Identity<>();

    private Identity() {}

    @SuppressWarnings("unchecked")
    static <T> Identity<T> instance() {
      return (Identity<T>) INSTANCE;
    }

    @Override
    public T apply(T input, SampleContext context) {
      return input;
    }

    @Override
    public boolean deterministic() {
      return true;
    }

    @Override
    public String toString() {
      return "identity";
    }
  }
}
