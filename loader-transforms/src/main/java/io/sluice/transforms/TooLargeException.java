package io.sluice.transforms;

import java.io.IOException;

/** An image whose header declares more pixels than allowed; found before any pixel buffer is allocated. */
final class TooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  TooLargeException(String message) {
    super(message);
  }

  /**
   * Checks a declared size against the limit.
   *
   * @throws TooLargeException saying by how much it is exceeded
   */
  static void check(long width, long height, long maxPixels) throws TooLargeException {
    long pixels = width * height;
    if (pixels > maxPixels) {
      throw new TooLargeException(width + "x" + height + " is " + pixels + " pixels, more than the limit of "
          + maxPixels);
    }
  }
}
