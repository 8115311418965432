package io.sluice.transforms;

import java.util.ServiceLoader;

/**
 * A JPEG decoder that an optional module supplies for one {@link JpegDecoder}, found with {@link ServiceLoader}:
 * {@code loader-datavec} supplies {@link JpegDecoder#OPENCV}. Users choose a decoder with
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
}
