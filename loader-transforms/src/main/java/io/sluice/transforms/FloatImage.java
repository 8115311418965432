package io.sluice.transforms;

import java.util.Arrays;
import java.util.Objects;

/**
 * A 32-bit float image with 1 (gray) or 3 (RGB) channels, stored interleaved in row-major HWC order.
 *
 * <p>The value of channel {@code c} at column {@code x} and row {@code y} is
 * {@code values()[(y * width + x) * channels + c]}. Float images are immutable by contract: the backing
 * array is neither copied in nor out, so neither its creator nor its readers may modify it once the image
 * exists. Two float images are equal when they have the same shape and the same values (compared as by
 * {@link Arrays#equals(float[], float[])}).
 */
public final class FloatImage {
  private final int width;
  private final int height;
  private final int channels;
  private final float[] values;

  /**
   * Wraps interleaved float values as an image.
   *
   * @param width the number of columns; positive
   * @param height the number of rows; positive
   * @param channels 1 (gray) or 3 (RGB)
   * @param values {@code width * height * channels} values in HWC order (not copied; must not be modified
   *     afterwards)
   * @throws IllegalArgumentException if a dimension is not positive, {@code channels} is not 1 or 3, or
   *     {@code values} has the wrong length
   * @throws NullPointerException if {@code values} is null
   */
  public FloatImage(int width, int height, int channels, float[] values) {
    Objects.requireNonNull(values, "values");
    Image.checkShape(width, height, channels, values.length);
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.values = values;
  }

  /** The number of columns. */
  public int width() {
    return width;
  }

  /** The number of rows. */
  public int height() {
    return height;
  }

  /** The number of channels: 1 (gray) or 3 (RGB). */
  public int channels() {
    return channels;
  }

  /**
   * The value of channel {@code c} at column {@code x}, row {@code y}.
   *
   * @throws IndexOutOfBoundsException if {@code x}, {@code y} or {@code c} is outside the image
   */
  public float get(int x, int y, int c) {
    Image.checkIndex(x, y, c, width, height, channels);
    return values[(y * width + x) * channels + c];
  }

  /** The backing array of values in HWC order. Not a copy: do not modify. */
  public float[] values() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatImage i
        && width == i.width
        && height == i.height
        && channels == i.channels
        && Arrays.equals(values, i.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(values);
  }

  /** The shape, e.g. {@code FloatImage[32x24x3]} for 32 columns, 24 rows and 3 channels. */
  @Override
  public String toString() {
    return "FloatImage[" + width + "x" + height + "x" + channels + "]";
  }
}
