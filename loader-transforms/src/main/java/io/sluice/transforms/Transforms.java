package io.sluice.transforms;

import io.sluice.loader.Transform;
import io.sluice.loader.TransformKeys;

/** Operations on whole transform chains. */
public final class Transforms {
  /**
   * The version of the steps' arithmetic mixed into every {@link #cacheKey}; raised whenever a step's output
   * changes for the same description, so stale cached samples are not reused.
   */
  public static final int KEY_VERSION = TransformKeys.KEY_VERSION;

  private Transforms() {}

  /**
   * A stable identity for a chain: the SHA-256, as 64 hex digits, of its canonical description (its
   * {@code toString()}, e.g. {@code decode(3 channels) -> randomResizedCrop(...) -> ...}) and
   * {@link #KEY_VERSION}; see {@link TransformKeys#cacheKey}.
   *
   * <p>Two chains have the same key when they are built from equal steps with equal settings, in this JVM
   * or another, so the key can name cached samples or a dataset's preprocessing. Every step of this module
   * describes itself canonically. A step of your own must override {@code toString()} with a description of
   * every setting that changes its output.
   *
   * @throws IllegalArgumentException if the description contains an identity hash or a lambda's name (a
   *     step without its own {@code toString()}), which would differ from run to run
   * @throws NullPointerException if {@code chain} is null
   */
  public static String cacheKey(Transform<?, ?> chain) {
    return TransformKeys.cacheKey(chain);
  }
}
