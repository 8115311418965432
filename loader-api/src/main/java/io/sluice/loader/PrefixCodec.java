package io.sluice.loader;

/**
 * Turns the output of a chain's deterministic prefix into bytes and back, so a prefix cache can keep it (see
 * {@link DataLoader.Builder#prefixCache}). {@code decode(encode(v))} must equal {@code v} exactly: a sample served
 * from the cache is then bit-identical to one computed afresh.
 *
 * @param <T> the prefix's output, e.g. an 8-bit image
 */
public interface PrefixCodec<T> {

  /** The value's bytes; the array may be kept by a cache, so it must not be modified afterwards. */
  byte[] encode(T value);

  /**
   * The value the bytes encode.
   *
   * @throws SluiceException if they are not such an encoding
   */
  T decode(byte[] bytes);
}
