package io.sluice.transforms;

/**
 * Reads the orientation tag (0x0112) from the first image directory of an Exif block, and applies an
 * orientation to an image.
 *
 * <p>Orientations are the eight of the Exif and TIFF standards: 1 is as stored; 2 mirrored left to right;
 * 3 rotated 180 degrees; 4 mirrored top to bottom; 5 transposed (mirrored along the main diagonal); 6
 * rotated 90 degrees clockwise; 7 transversed (mirrored along the other diagonal); 8 rotated 90 degrees
 * counter-clockwise. These are the values that must be applied to the stored pixels for the picture to show
 * upright, as PIL's {@code ImageOps.exif_transpose} and OpenCV's {@code imread} do.
 */
final class ExifOrientation {
  private static final int ORIENTATION_TAG = 0x0112;
  private static final int SHORT = 3;

  private ExifOrientation() {}

  /**
   * The orientation in a TIFF structure stored in {@code bytes[from, end)}; {@link JpegHeader#NORMAL} if the
   * structure is malformed, the tag is absent, or its value is not 1 to 8.
   */
  static int read(byte[] bytes, int from, int end) {
    if (end - from < 8) {
      return JpegHeader.NORMAL;
    }
    boolean little;
    if (bytes[from] == 'I' && bytes[from + 1] == 'I') {
      little = true;
    } else if (bytes[from] == 'M' && bytes[from + 1] == 'M') {
      little = false;
    } else {
      return JpegHeader.NORMAL;
    }
    if (u16(bytes, from + 2, little) != 42) {
      return JpegHeader.NORMAL;
    }
    long ifd = u32(bytes, from + 4, little);
    if (ifd < 8 || from + ifd + 2 > end) {
      return JpegHeader.NORMAL;
    }
    int directory = (int) (from + ifd);
    int entries = u16(bytes, directory, little);
    for (int i = 0; i < entries; i++) {
      int entry = directory + 2 + 12 * i;
      if (entry + 12 > end) {
        return JpegHeader.NORMAL;
      }
      if (u16(bytes, entry, little) == ORIENTATION_TAG) {
        if (u16(bytes, entry + 2, little) != SHORT || u32(bytes, entry + 4, little) != 1) {
          return JpegHeader.NORMAL;
        }
        int value = u16(bytes, entry + 8, little);
        return value >= 1 && value <= 8 ? value : JpegHeader.NORMAL;
      }
    }
    return JpegHeader.NORMAL;
  }

  /** {@code image} as it is to be shown given its Exif {@code orientation}, 1 to 8. */
  static Image apply(Image image, int orientation) {
    if (orientation == JpegHeader.NORMAL) {
      return image;
    }
    int width = image.width();
    int height = image.height();
    int channels = image.channels();
    boolean swap = orientation >= 5;
    int outWidth = swap ? height : width;
    int outHeight = swap ? width : height;
    byte[] src = image.pixels();
    byte[] dst = new byte[src.length];
    for (int y = 0; y < outHeight; y++) {
      for (int x = 0; x < outWidth; x++) {
        // The stored pixel (sx, sy) shown at (x, y).
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = width - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = width - 1 - x;
            sy = height - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = height - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = height - 1 - x;
          }
          case 7 -> {
            sx = width - 1 - y;
            sy = height - 1 - x;
          }
          case 8 -> {
            sx = width - 1 - y;
            sy = x;
          }
          default -> throw new IllegalArgumentException("orientation must be 1 to 8: " + orientation);
        }
        System.arraycopy(src, (sy * width + sx) * channels, dst, (y * outWidth + x) * channels, channels);
      }
    }
    return new Image(outWidth, outHeight, channels, dst);
  }

  private static int u16(byte[] bytes, int p, boolean little) {
    int a = bytes[p] & 0xFF;
    int b = bytes[p + 1] & 0xFF;
    return little ? b << 8 | a : a << 8 | b;
  }

  private static long u32(byte[] bytes, int p, boolean little) {
    long hi = u16(bytes, little ? p + 2 : p, little);
    long lo = u16(bytes, little ? p : p + 2, little);
    return hi << 16 | lo;
  }
}
