package io.sluice.transforms;

import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit image with 1 (gray) or 3 (RGB) channels, stored interleaved in row-major HWC order.
 *
 * <p>The sample of channel {@code c} at column {@code x} and row {@code y} is
 * {@code pixels()[(y * width + x) * channels + c] & 0xFF}. Images are immutable by contract: the backing
 * array is neither copied in nor out, so neither its creator nor its readers may modify it once the image
 * exists. Two images are equal when they have the same shape and the same samples.
 */
public final class Image {
  private final int width;
  private final int height;
  private final int channels;
  private final byte[] pixels;
  private final ImageGeometry geometry; // null: as decoded

  /**
   * Wraps interleaved 8-bit samples as an image.
   *
   * @param width the number of columns; positive
   * @param height the number of rows; positive
   * @param channels 1 (gray) or 3 (RGB)
   * @param pixels {@code width * height * channels} samples in HWC order (not copied; must not be modified
   *     afterwards)
   * @throws IllegalArgumentException if a dimension is not positive, {@code channels} is not 1 or 3, or
   *     {@code pixels} has the wrong length
   * @throws NullPointerException if {@code pixels} is null
   */
  public Image(int width, int height, int channels, byte[] pixels) {
    Objects.requireNonNull(pixels, "pixels");
    checkShape(width, height, channels, pixels.length);
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.pixels = pixels;
    this.geometry = null;
  }

  private Image(Image image, ImageGeometry geometry) {
    this.width = image.width;
    this.height = image.height;
    this.channels = image.channels;
    this.pixels = image.pixels;
    this.geometry = geometry;
  }

  /**
   * Where this image's pixels came from: the map from the decoded image through every geometric step since
   * (see {@link ImageGeometry}). An image made with the constructor is its own source.
   */
  public ImageGeometry geometry() {
    return geometry != null ? geometry : ImageGeometry.identity(width, height);
  }

  /** This image (the same pixels) with {@code geometry}, which must be of this image's size. */
  Image withGeometry(ImageGeometry geometry) {
    if (geometry.width() != width || geometry.height() != height) {
      throw new IllegalStateException("geometry " + geometry + " is not for a " + width + "x" + height + " image");
    }
    return new Image(this, geometry);
  }

  /**
   * This image as made from {@code source} by a step of your own whose geometry is not known (a DataVec transform,
   * say): boxes and masks cannot follow it, and targets that need them fail instead of guessing.
   */
  public Image withUnknownGeometryFrom(Image source) {
    return withGeometry(source.geometry().unknown(width, height));
  }

  /** This image with the geometry of {@code from} (a step that changed the pixels but not where they are). */
  Image sameGeometryAs(Image from) {
    return from.geometry == null ? this : withGeometry(from.geometry);
  }

  /**
   * Checks a shape and the length of the array that is to hold it.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  static void checkShape(int width, int height, int channels, int length) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image dimensions must be positive: " + width + "x" + height);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
    }
    long expected = (long) width * height * channels;
    if (expected != length) {
      throw new IllegalArgumentException("a " + width + "x" + height + "x" + channels + " image holds "
          + expected + " samples but " + length + " were given");
    }
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
   * The sample of channel {@code c} at column {@code x}, row {@code y}, from 0 to 255.
   *
   * @throws IndexOutOfBoundsException if {@code x}, {@code y} or {@code c} is outside the image
   */
  public int get(int x, int y, int c) {
    checkIndex(x, y, c, width, height, channels);
    return pixels[(y * width + x) * channels + c] & 0xFF;
  }

  /**
   * The backing array of samples in HWC order, read as unsigned bytes. Not a copy: do not modify.
   */
  public byte[] pixels() {
    return pixels;
  }

  static void checkIndex(int x, int y, int c, int width, int height, int channels) {
    if (x < 0 || x >= width || y < 0 || y >= height || c < 0 || c >= channels) {
      throw new IndexOutOfBoundsException("sample (x=" + x + ", y=" + y + ", c=" + c + ") is outside a "
          + width + "x" + height + "x" + channels + " image");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image i
        && width == i.width
        && height == i.height
        && channels == i.channels
        && Arrays.equals(pixels, i.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(pixels);
  }

  /** The shape, e.g. {@code Image[32x24x3]} for 32 columns, 24 rows and 3 channels. */
  @Override
  public String toString() {
    return "Image[" + width + "x" + height + "x" + channels + "]";
  }
}
