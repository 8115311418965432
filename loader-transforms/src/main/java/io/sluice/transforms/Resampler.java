package io.sluice.transforms;

/**
 * Resamples a rectangular window of an 8-bit image to a new size, by bilinear interpolation or by pixel
 * area averaging. Shared by resize, crops and reduced-size decoding.
 *
 * <p>The window must lie inside the source. Resampling a window gives exactly the pixels that cropping it
 * first and resampling the crop would give.
 */
final class Resampler {
  private Resampler() {}

  /** Resamples {@code window} of {@code src} to {@code width x height} with {@code interpolation}. */
  static Image resample(Image src, Window window, int width, int height, Interpolation interpolation) {
    return resample(src, window, width, height, interpolation, false);
  }

  /**
   * Resamples {@code window} of {@code src} to {@code width x height} with {@code interpolation}, mirrored
   * left to right if {@code mirrored}: exactly the pixels of resampling, then mirroring.
   */
  static Image resample(Image src, Window window, int width, int height, Interpolation interpolation,
      boolean mirrored) {
    if (!mirrored && window.x() == 0 && window.y() == 0 && window.width() == src.width()
        && window.height() == src.height() && width == src.width() && height == src.height()) {
      return src;
    }
    Image out = switch (interpolation) {
      case BILINEAR -> bilinear(src, window, width, height, mirrored);
      case AREA -> area(src, window, width, height);
    };
    ImageGeometry geometry = src.geometry().window(window, width, height);
    if (mirrored) {
      if (interpolation == Interpolation.AREA) {
        return Flip.mirrorColumns(out.withGeometry(geometry));
      }
      geometry = geometry.mirrorColumns();
    }
    return out.withGeometry(geometry);
  }

  /**
   * Bilinear interpolation with the half-pixel-centre convention, in exact integer arithmetic, bit for bit
   * OpenCV's {@code INTER_LINEAR_EXACT} for 8-bit images (so that {@link LinearResizer an accelerator} can do it
   * natively without changing a pixel).
   *
   * <p>Destination column {@code x} samples the window at {@code s = (x + 0.5) * scale - 0.5}, where {@code scale =
   * 1 / (width / windowWidth)} in double precision; its taps are columns {@code floor(s)} and {@code floor(s) + 1},
   * each clamped to the window, with weights {@code 256 - w} and {@code w}, {@code w = rint((s - floor(s)) * 256)}
   * (ties to even); likewise for rows. A destination sample is {@code ((a * wa + b * wb) * ha + (c * wa + d * wb)
   * * hb + 32768) >> 16} over its four neighbours: exact, so the order of the passes does not matter, and rounded
   * half up.
   *
   * <p>Computed in two passes, each source row needed blended horizontally once, then pairs of those rows
   * blended vertically. The arithmetic is done in float, which holds every intermediate exactly (the largest,
   * {@code 255 * 256 * 256 + 32768}, is below 2<sup>24</sup>), so the result is the integer rule's and the JIT can
   * vectorise the passes.
   */
  static Image bilinear(Image src, Window window, int width, int height, boolean mirrored) {
    LinearResizer accelerator = LinearResizer.installed();
    if (accelerator != null) {
      byte[] out = accelerator.resize(src.pixels(), src.width(), src.height(), src.channels(), window.x(), window.y(),
          window.width(), window.height(), width, height, mirrored);
      if (out != null) {
        return new Image(width, height, src.channels(), out);
      }
    }
    return new Image(width, height, src.channels(), bilinearInJava(src, window, width, height, mirrored));
  }

  /** {@link #bilinear} in Java, whatever accelerator is installed. */
  static byte[] bilinearInJava(Image src, Window window, int width, int height, boolean mirrored) {
    int channels = src.channels();
    int rowStride = src.width() * channels;
    LinearTaps columns = new LinearTaps(window.x(), window.width(), width, channels);
    if (mirrored) {
      columns.reverse();
    }
    LinearTaps rows = new LinearTaps(window.y(), window.height(), height, rowStride);
    byte[] in = src.pixels();
    byte[] out = new byte[width * height * channels];
    int rowLength = width * channels;
    float[] upper = new float[rowLength];
    float[] lower = new float[rowLength];
    int upperRow = -1;
    int lowerRow = -1;
    for (int y = 0, o = 0; y < height; y++, o += rowLength) {
      int top = rows.low[y];
      int bottom = rows.high[y];
      if (upperRow != top) {
        if (lowerRow == top) {
          float[] swap = upper;
          upper = lower;
          lower = swap;
          lowerRow = -1;
        } else {
          columns.blend(in, top, upper, channels);
        }
        upperRow = top;
      }
      if (lowerRow != bottom) {
        columns.blend(in, bottom, lower, channels);
        lowerRow = bottom;
      }
      float hb = rows.weight[y];
      float ha = ONE - hb;
      for (int i = 0; i < rowLength; i++) {
        out[o + i] = (byte) (int) ((upper[i] * ha + lower[i] * hb + HALF) * SCALE);
      }
    }
    return out;
  }

  /** The weight of a whole pixel in {@link #bilinear}: weights are in 256ths. */
  private static final int ONE = 256;
  /** Half of the last bit of a sample times {@code ONE * ONE}: rounds half up. */
  private static final float HALF = 1 << 15;
  /** {@code 1 / (ONE * ONE)}: a power of two, so multiplying by it is exact. */
  private static final float SCALE = 1f / (1 << 16);

  /**
   * Reduces by an integer {@code factor}: the result is {@code ceil(width / factor) x ceil(height / factor)},
   * each pixel the mean of its {@code factor x factor} block (of the part inside the image, for the last
   * row and column), rounded half up. For sizes divisible by the factor this is {@link #area}.
   */
  static Image reduce(Image src, int factor) {
    int channels = src.channels();
    int width = src.width();
    int height = src.height();
    int outWidth = (width + factor - 1) / factor;
    int outHeight = (height + factor - 1) / factor;
    byte[] in = src.pixels();
    byte[] out = new byte[outWidth * outHeight * channels];
    int rowLength = outWidth * channels;
    if (factor == 2) {
      halve(in, out, width, height, outWidth, channels);
      return new Image(outWidth, outHeight, channels, out);
    }
    int[] sums = new int[rowLength];
    int fullBlocks = width / factor;
    for (int oy = 0; oy < outHeight; oy++) {
      java.util.Arrays.fill(sums, 0);
      int y0 = oy * factor;
      int y1 = Math.min(height, y0 + factor);
      for (int y = y0; y < y1; y++) {
        int i = y * width * channels;
        if (channels == 3) {
          int o = 0;
          for (int block = 0; block < fullBlocks; block++, o += 3) {
            int s0 = 0;
            int s1 = 0;
            int s2 = 0;
            for (int k = 0; k < factor; k++, i += 3) {
              s0 += in[i] & 0xFF;
              s1 += in[i + 1] & 0xFF;
              s2 += in[i + 2] & 0xFF;
            }
            sums[o] += s0;
            sums[o + 1] += s1;
            sums[o + 2] += s2;
          }
          for (int x = fullBlocks * factor; x < width; x++, i += 3) {
            sums[o] += in[i] & 0xFF;
            sums[o + 1] += in[i + 1] & 0xFF;
            sums[o + 2] += in[i + 2] & 0xFF;
          }
        } else {
          int o = 0;
          for (int block = 0; block < fullBlocks; block++, o++) {
            int sum = 0;
            for (int k = 0; k < factor; k++, i++) {
              sum += in[i] & 0xFF;
            }
            sums[o] += sum;
          }
          for (int x = fullBlocks * factor; x < width; x++, i++) {
            sums[o] += in[i] & 0xFF;
          }
        }
      }
      int rows = y1 - y0;
      for (int ox = 0; ox < outWidth; ox++) {
        int count = rows * (Math.min(width, (ox + 1) * factor) - ox * factor);
        for (int c = 0; c < channels; c++) {
          int i = ox * channels + c;
          out[oy * rowLength + i] = (byte) ((2 * sums[i] + count) / (2 * count));
        }
      }
    }
    return new Image(outWidth, outHeight, channels, out);
  }

  /** The mean of each 2x2 block (of the part inside the image at an odd edge), rounded half up. */
  private static void halve(byte[] in, byte[] out, int width, int height, int outWidth, int channels) {
    int rowStride = width * channels;
    int fullColumns = width / 2;
    for (int oy = 0; oy < (height + 1) / 2; oy++) {
      int top = 2 * oy * rowStride;
      boolean twoRows = 2 * oy + 1 < height;
      int bottom = twoRows ? top + rowStride : top;
      int o = oy * outWidth * channels;
      for (int ox = 0; ox < fullColumns; ox++) {
        int left = 2 * ox * channels;
        for (int c = 0; c < channels; c++) {
          int i = left + c;
          int sum = (in[top + i] & 0xFF) + (in[top + i + channels] & 0xFF) + (in[bottom + i] & 0xFF)
              + (in[bottom + i + channels] & 0xFF);
          // With one row, top and bottom are the same row: the sum of 2 pixels counted twice.
          out[o++] = (byte) ((sum + 2) >> 2);
        }
      }
      if (fullColumns * 2 < width) {
        int i = (width - 1) * channels;
        for (int c = 0; c < channels; c++) {
          int sum = (in[top + i + c] & 0xFF) + (in[bottom + i + c] & 0xFF);
          out[o++] = (byte) ((sum + 1) >> 1);
        }
      }
    }
  }

  /**
   * Pixel area averaging: each destination pixel is the mean of the source area it covers, partly covered
   * source pixels weighted by the part covered; the result is rounded half up. This is OpenCV's
   * {@code INTER_AREA} (and equals a block mean for integer factors); when enlarging, a destination pixel
   * lies within one source pixel, or straddles two and blends them.
   */
  static Image area(Image src, Window window, int width, int height) {
    int channels = src.channels();
    AreaTaps columns = new AreaTaps(window.width(), width);
    AreaTaps rows = new AreaTaps(window.height(), height);
    byte[] in = src.pixels();
    int rowStride = src.width() * channels;
    int rowLength = width * channels;
    // Horizontal pass over every source row of the window, then a vertical pass; each sum adds its terms in
    // tap order.
    float[] horizontal = new float[window.height() * rowLength];
    for (int j = 0; j < window.height(); j++) {
      int base = (window.y() + j) * rowStride + window.x() * channels;
      int o = j * rowLength;
      for (int x = 0; x < width; x++) {
        int p = base + columns.start[x] * channels;
        int w0 = columns.offset[x];
        int taps = columns.count[x];
        if (channels == 3) {
          float s0 = 0;
          float s1 = 0;
          float s2 = 0;
          for (int t = 0; t < taps; t++, p += 3) {
            float w = columns.weight[w0 + t];
            s0 += (in[p] & 0xFF) * w;
            s1 += (in[p + 1] & 0xFF) * w;
            s2 += (in[p + 2] & 0xFF) * w;
          }
          horizontal[o + 3 * x] = s0;
          horizontal[o + 3 * x + 1] = s1;
          horizontal[o + 3 * x + 2] = s2;
        } else {
          float sum = 0;
          for (int t = 0; t < taps; t++, p++) {
            sum += (in[p] & 0xFF) * columns.weight[w0 + t];
          }
          horizontal[o + x] = sum;
        }
      }
    }
    byte[] out = new byte[height * rowLength];
    float[] sums = new float[rowLength];
    for (int y = 0; y < height; y++) {
      java.util.Arrays.fill(sums, 0);
      int from = rows.start[y];
      int w0 = rows.offset[y];
      for (int t = 0; t < rows.count[y]; t++) {
        float w = rows.weight[w0 + t];
        int h = (from + t) * rowLength;
        for (int i = 0; i < rowLength; i++) {
          sums[i] += horizontal[h + i] * w;
        }
      }
      int o = y * rowLength;
      for (int i = 0; i < rowLength; i++) {
        out[o + i] = (byte) Math.min(255, (int) (sums[i] + 0.5f));
      }
    }
    return new Image(width, height, channels, out);
  }

  /**
   * For each destination index along one axis: the array offsets of the two source pixels it blends and
   * the weight of the second, in 256ths (see {@link #bilinear}).
   */
  static final class LinearTaps {
    final int[] low;
    final int[] high;
    final int[] weight;

    /**
     * Taps from the {@code srcSize} pixels starting at {@code srcStart} to {@code dstSize} pixels, with
     * offsets {@code stride} apart.
     */
    LinearTaps(int srcStart, int srcSize, int dstSize, int stride) {
      low = new int[dstSize];
      high = new int[dstSize];
      weight = new int[dstSize];
      double scale = 1.0 / ((double) dstSize / srcSize);
      for (int i = 0; i < dstSize; i++) {
        double s = scale * (i + 0.5) - 0.5;
        double floor = Math.floor(s);
        int first = (int) floor;
        low[i] = (srcStart + Math.min(Math.max(first, 0), srcSize - 1)) * stride;
        high[i] = (srcStart + Math.min(Math.max(first + 1, 0), srcSize - 1)) * stride;
        weight[i] = (int) Math.rint((s - floor) * ONE);
      }
    }

    /** Reverses the taps, for a mirrored output. */
    void reverse() {
      for (int i = 0, j = low.length - 1; i < j; i++, j--) {
        int l = low[i];
        low[i] = low[j];
        low[j] = l;
        int h = high[i];
        high[i] = high[j];
        high[j] = h;
        int w = weight[i];
        weight[i] = weight[j];
        weight[j] = w;
      }
    }

    /**
     * Blends the source row starting at {@code base} horizontally into {@code row}, in 256ths of a level (whole
     * numbers, held exactly).
     */
    void blend(byte[] in, int base, float[] row, int channels) {
      int n = low.length;
      if (channels == 3) {
        for (int x = 0, j = 0; x < n; x++, j += 3) {
          int l = base + low[x];
          int r = base + high[x];
          float wb = weight[x];
          float wa = ONE - wb;
          row[j] = (in[l] & 0xFF) * wa + (in[r] & 0xFF) * wb;
          row[j + 1] = (in[l + 1] & 0xFF) * wa + (in[r + 1] & 0xFF) * wb;
          row[j + 2] = (in[l + 2] & 0xFF) * wa + (in[r + 2] & 0xFF) * wb;
        }
      } else {
        for (int x = 0; x < n; x++) {
          float wb = weight[x];
          row[x] = (in[base + low[x]] & 0xFF) * (ONE - wb) + (in[base + high[x]] & 0xFF) * wb;
        }
      }
    }
  }

  /** For each destination index along one axis: the source pixels it covers and their weights. */
  static final class AreaTaps {
    final int[] start;
    final int[] count;
    final int[] offset;
    final float[] weight;

    AreaTaps(int srcSize, int dstSize) {
      start = new int[dstSize];
      count = new int[dstSize];
      offset = new int[dstSize];
      double scale = (double) srcSize / dstSize;
      float[] weights = new float[dstSize * ((int) Math.ceil(scale) + 2)];
      int n = 0;
      for (int i = 0; i < dstSize; i++) {
        double from = i * scale;
        double to = Math.min((i + 1) * scale, srcSize);
        int first = (int) Math.floor(from);
        int last = Math.min((int) Math.ceil(to) - 1, srcSize - 1);
        start[i] = first;
        offset[i] = n;
        for (int j = first; j <= last; j++) {
          double covered = Math.min(to, j + 1) - Math.max(from, j);
          weights[n++] = (float) (covered / (to - from));
        }
        count[i] = last - first + 1;
      }
      weight = weights;
    }
  }
}
