package io.sluice.transforms;

import java.util.ServiceLoader;

/**
 * A JPEG decoder that an optional module supplies for one {@link JpegDecoder}, found with {@link ServiceLoader}:
 * {@code loader-datavec} supplies {@link JpegDecoder#OPENCV}, {@code loader-libjpeg-turbo}
 * {@link JpegDecoder#LIBJPEG_TURBO}. Users choose a decoder with
 * {@link DecodeTransform#jpegDecoder}; only a module that adds a decoder implements this.
 */
public interface JpegCodec {
  /** The decoder this implements. */
  JpegDecoder decoder();

  /** Null if it can decode in this JVM, else why not (for example, its native library did not load). */
  String problem();

  /**
   * Decodes a gray or YCbCr JPEG to 3-channel RGB, reduced by {@code reduction}: the result is
   * {@code ceil(width / reduction) x ceil(height / reduction)}. Exif orientation is left to the caller.
   *
   * @param jpeg the whole file, which ends with an end-of-image marker
   * @param reduction 1, 2, 4 or 8
   * @throws MalformedImageException if the bytes cannot be decoded
   */
  Image decode(byte[] jpeg, int reduction) throws MalformedImageException;

  /** Whether this codec decodes windows ({@link #decodeWindow}); if not, callers decode whole images and crop. */
  default boolean decodesWindows() {
    return false;
  }

  /**
   * The window at {@code (x, y)}, {@code width x height}, of a gray or YCbCr JPEG at full size, decoded to RGB with
   * the pixels {@link #decode} gives there. Called only if {@link #decodesWindows}. Decoding may stop after the
   * window's last row; the caller checks for an end-of-image marker below it.
   *
   * @throws MalformedImageException if the bytes cannot be decoded
   */
  default Image decodeWindow(byte[] jpeg, int x, int y, int width, int height) throws MalformedImageException {
    throw new UnsupportedOperationException(getClass().getName() + " decodes whole images only");
  }
}
