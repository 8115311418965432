package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;

/**
 * The step behind {@link Images#resize}: bilinear interpolation with the half-pixel-centre convention.
 *
 * <p>Destination column {@code x} samples the source at {@code (x + 0.5) * srcWidth / width - 0.5},
 * clamped to {@code [0, srcWidth - 1]}, and likewise for rows; the result is rounded half up. This is the
 * convention of OpenCV's {@code INTER_LINEAR} and of PIL's bilinear filter without antialiasing, so a
 * large downscale skips source pixels rather than averaging them.
 */
final class Resize implements Transform<Image, Image> {
  private final int width;
  private final int height;

  Resize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("resize dimensions must be positive: " + width + "x" + height);
    }
    if ((long) width * height * 3 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("resize dimensions are too large for an image: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    int srcWidth = input.width();
    int srcHeight = input.height();
    if (srcWidth == width && srcHeight == height) {
      return input;
    }
    int channels = input.channels();

    Taps columns = new Taps(srcWidth, width, channels);
    Taps rows = new Taps(srcHeight, height, srcWidth * channels);

    byte[] src = input.pixels();
    byte[] dst = new byte[width * height * channels];
    int o = 0;
    for (int y = 0; y < height; y++) {
      int top = rows.low[y];
      int bottom = rows.high[y];
      float wy = rows.fraction[y];
      for (int x = 0; x < width; x++) {
        int l = columns.low[x];
        int r = columns.high[x];
        float fx = columns.fraction[x];
        for (int c = 0; c < channels; c++) {
          int topLeft = src[top + l + c] & 0xFF;
          int bottomLeft = src[bottom + l + c] & 0xFF;
          float upper = topLeft + ((src[top + r + c] & 0xFF) - topLeft) * fx;
          float lower = bottomLeft + ((src[bottom + r + c] & 0xFF) - bottomLeft) * fx;
          dst[o++] = (byte) (int) (upper + (lower - upper) * wy + 0.5f);
        }
      }
    }
    return new Image(width, height, channels, dst);
  }

  /**
   * For each destination index along one axis: the array offsets of the two source pixels it blends and
   * the weight of the second.
   */
  private static final class Taps {
    final int[] low;
    final int[] high;
    final float[] fraction;

    /** Taps from {@code srcSize} pixels to {@code dstSize}, with offsets {@code stride} apart. */
    Taps(int srcSize, int dstSize, int stride) {
      low = new int[dstSize];
      high = new int[dstSize];
      fraction = new float[dstSize];
      double scale = (double) srcSize / dstSize;
      for (int i = 0; i < dstSize; i++) {
        double s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), srcSize - 1);
        int floor = (int) s;
        low[i] = floor * stride;
        high[i] = Math.min(floor + 1, srcSize - 1) * stride;
        fraction[i] = (float) (s - floor);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resize r && width == r.width && height == r.height;
  }

  @Override
  public int hashCode() {
    return 31 * width + height;
  }

  @Override
  public String toString() {
    return "resize(" + width + "x" + height + ", bilinear)";
  }
}
