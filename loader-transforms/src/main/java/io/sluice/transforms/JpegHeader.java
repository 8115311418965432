package io.sluice.transforms;

import java.nio.charset.StandardCharsets;

/**
 * What the markers of a JPEG stream say before its first scan: size, components, the JFIF, Exif and Adobe
 * markers, and where the first scan starts.
 *
 * <p>Parsing walks the marker segments only; no pixel is decoded and nothing proportional to the image size
 * is allocated, so the size can be checked against a limit first. Malformed structure is reported as a
 * {@link MalformedImageException} with the reason.
 */
final class JpegHeader {
  /** The Exif orientation of an image without one: stored as it is to be shown. */
  static final int NORMAL = 1;

  final int width;
  final int height;
  final int precision;
  final int components;
  final boolean progressive;
  final boolean jfif;
  final boolean exif;
  final boolean adobe;
  final int adobeTransform;
  /** Whether an ICC profile is embedded (APP2 {@code ICC_PROFILE}). */
  final boolean icc;
  /** Component ids, in frame order. */
  final int[] ids;
  /** Exif orientation 1..8; {@link #NORMAL} when absent or unreadable. */
  final int orientation;
  /** The offset of the first SOS marker. */
  final int firstScan;

  private JpegHeader(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.precision = b.precision;
    this.components = b.components;
    this.progressive = b.progressive;
    this.jfif = b.jfif;
    this.exif = b.exif;
    this.adobe = b.adobe;
    this.adobeTransform = b.adobeTransform;
    this.icc = b.icc;
    this.ids = b.ids;
    this.orientation = b.orientation;
    this.firstScan = b.firstScan;
  }

  /** The color space of a JPEG's samples. */
  enum ColorSpace { GRAY, YCBCR, RGB, FOUR_COMPONENTS, OTHER }

  /**
   * The color space of the samples as libjpeg-turbo (and so OpenCV and PIL) reads it: one component is gray;
   * three are YCbCr if a JFIF marker says so, else as an Adobe marker says (transform 0 RGB, 1 YCbCr), else
   * RGB if the component ids spell R, G, B and YCbCr otherwise; four are CMYK or YCCK.
   */
  ColorSpace colorSpace() {
    switch (components) {
      case 1:
        return ColorSpace.GRAY;
      case 3:
        if (jfif) {
          return ColorSpace.YCBCR;
        }
        if (adobe) {
          return adobeTransform == 0 ? ColorSpace.RGB : adobeTransform == 1 ? ColorSpace.YCBCR : ColorSpace.OTHER;
        }
        return ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B' ? ColorSpace.RGB : ColorSpace.YCBCR;
      case 4:
        return ColorSpace.FOUR_COMPONENTS;
      default:
        return ColorSpace.OTHER;
    }
  }

  /**
   * Whether javax.imageio's reader reads three components as YCbCr too: it does when a JFIF, Exif or Adobe
   * (transform 1) marker says so, but guesses RGB for unmarked JPEGs whose components are all sampled alike.
   */
  boolean markedYCbCr() {
    return colorSpace() == ColorSpace.YCBCR && (jfif || exif || (adobe && adobeTransform == 1));
  }

  /** The width once the Exif orientation is applied (when {@code oriented}). */
  int shownWidth(boolean oriented) {
    return oriented && orientation >= 5 ? height : width;
  }

  /** The height once the Exif orientation is applied (when {@code oriented}). */
  int shownHeight(boolean oriented) {
    return oriented && orientation >= 5 ? width : height;
  }

  /**
   * Parses the markers of {@code bytes} up to the first scan.
   *
   * @throws MalformedImageException if the structure is broken or ends before the first scan
   */
  static JpegHeader parse(byte[] bytes) throws MalformedImageException {
    if (bytes.length < 4 || (bytes[0] & 0xFF) != 0xFF || (bytes[1] & 0xFF) != 0xD8) {
      throw new MalformedImageException("no JPEG start-of-image marker");
    }
    Builder b = new Builder();
    int p = 2;
    while (true) {
      long marker = nextMarker(bytes, p);
      if (marker < 0) {
        throw new MalformedImageException("the data ends before the first scan (truncated header)");
      }
      int at = (int) (marker >>> 8);
      int code = (int) (marker & 0xFF);
      p = at + 2;
      if (code == 0xD9) {
        throw new MalformedImageException("end-of-image marker before any scan");
      }
      if (code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
        continue; // markers without a length
      }
      if (p + 2 > bytes.length) {
        throw new MalformedImageException("the data ends inside a marker (truncated header)");
      }
      int length = u16(bytes, p);
      if (length < 2) {
        throw new MalformedImageException("marker 0x" + Integer.toHexString(code) + " has a bad length " + length);
      }
      int end = p + length;
      if (end > bytes.length) {
        throw new MalformedImageException("the data ends inside marker 0x" + Integer.toHexString(code)
            + " (truncated header)");
      }
      int payload = p + 2;
      if (isStartOfFrame(code)) {
        readFrame(bytes, payload, end, code, b);
      } else if (code == 0xDA) {
        if (b.components == 0) {
          throw new MalformedImageException("a scan before the frame header");
        }
        b.firstScan = at;
        return new JpegHeader(b);
      } else if (code == 0xE0 && startsWith(bytes, payload, end, "JFIF\0")) {
        b.jfif = true;
      } else if (code == 0xE1 && startsWith(bytes, payload, end, "Exif\0\0")) {
        if (!b.exif) {
          b.exif = true;
          b.orientation = ExifOrientation.read(bytes, payload + 6, end);
        }
      } else if (code == 0xE2 && startsWith(bytes, payload, end, "ICC_PROFILE\0")) {
        b.icc = true;
      } else if (code == 0xEE && startsWith(bytes, payload, end, "Adobe") && end - payload >= 12) {
        b.adobe = true;
        b.adobeTransform = bytes[payload + 11] & 0xFF;
      }
      p = end;
    }
  }

  private static void readFrame(byte[] bytes, int payload, int end, int code, Builder b)
      throws MalformedImageException {
    if (b.components != 0) {
      throw new MalformedImageException("two frame headers");
    }
    if (end - payload < 6) {
      throw new MalformedImageException("frame header too short");
    }
    b.precision = bytes[payload] & 0xFF;
    b.height = u16(bytes, payload + 1);
    b.width = u16(bytes, payload + 3);
    b.components = bytes[payload + 5] & 0xFF;
    b.progressive = code == 0xC2 || code == 0xC6 || code == 0xCA || code == 0xCE;
    if (b.components == 0 || end - payload < 6 + 3 * b.components) {
      throw new MalformedImageException("frame header with " + b.components + " components is too short");
    }
    if (b.width == 0 || b.height == 0) {
      throw new MalformedImageException("frame header declares " + b.width + "x" + b.height
          + " (a height set later by a DNL marker is not supported)");
    }
    b.ids = new int[b.components];
    for (int i = 0; i < b.components; i++) {
      b.ids[i] = bytes[payload + 6 + 3 * i] & 0xFF;
    }
  }

  /**
   * Whether the stream has an end-of-image marker after its first scan, found by walking the entropy-coded
   * data and the marker segments between scans. A truncated file has none.
   */
  boolean hasEnd(byte[] bytes) {
    int last = bytes.length - 2;
    if (last > firstScan && (bytes[last] & 0xFF) == 0xFF && (bytes[last + 1] & 0xFF) == 0xD9) {
      // The usual case, without walking ~100 KB of entropy-coded data: the file ends with its end-of-image
      // marker. Inside entropy-coded data 0xFF is followed by 0x00 or a restart marker, never by 0xD9.
      return true;
    }
    int p = firstScan;
    while (p + 1 < bytes.length) {
      // p is at a marker: 0xFF, code.
      int code = bytes[p + 1] & 0xFF;
      if (code == 0xD9) {
        return true;
      }
      if (code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
        p += 2;
      } else {
        if (p + 4 > bytes.length) {
          return false;
        }
        p += 2 + u16(bytes, p + 2);
      }
      if (code == 0xDA || (code >= 0xD0 && code <= 0xD7)) {
        p = skipEntropyCoded(bytes, p);
      } else {
        p = skipFill(bytes, p);
      }
      if (p < 0) {
        return false;
      }
    }
    return false;
  }

  /** The offset of the next marker (0xFF then a code other than 0x00 or a fill 0xFF) at or after p, or -1. */
  private static int skipEntropyCoded(byte[] bytes, int p) {
    for (int i = p; i + 1 < bytes.length; i++) {
      if ((bytes[i] & 0xFF) == 0xFF) {
        int next = bytes[i + 1] & 0xFF;
        if (next != 0x00 && next != 0xFF) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The offset of the marker at p, after any fill bytes, or -1 if p is not at a marker. */
  private static int skipFill(byte[] bytes, int p) {
    if (p >= bytes.length || (bytes[p] & 0xFF) != 0xFF) {
      return -1;
    }
    while (p + 1 < bytes.length && (bytes[p + 1] & 0xFF) == 0xFF) {
      p++;
    }
    return p + 1 < bytes.length ? p : -1;
  }

  /** The next marker at p (after fill bytes) as {@code offset << 8 | code}, or -1 at the end of the data. */
  private static long nextMarker(byte[] bytes, int p) throws MalformedImageException {
    if (p >= bytes.length) {
      return -1;
    }
    if ((bytes[p] & 0xFF) != 0xFF) {
      throw new MalformedImageException("expected a marker at byte " + p + " but found 0x"
          + Integer.toHexString(bytes[p] & 0xFF));
    }
    int q = skipFill(bytes, p);
    if (q < 0) {
      return -1;
    }
    return (long) q << 8 | (bytes[q + 1] & 0xFF);
  }

  private static boolean isStartOfFrame(int code) {
    return code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
  }

  private static boolean startsWith(byte[] bytes, int from, int end, String ascii) {
    byte[] prefix = ascii.getBytes(StandardCharsets.ISO_8859_1);
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static int u16(byte[] bytes, int p) {
    return (bytes[p] & 0xFF) << 8 | (bytes[p + 1] & 0xFF);
  }

  private static final class Builder {
    int width;
    int height;
    int precision;
    int components;
    boolean progressive;
    boolean jfif;
    boolean exif;
    boolean adobe;
    int adobeTransform;
    boolean icc;
    int[] ids = new int[0];
    int orientation = NORMAL;
    int firstScan;
  }
}
