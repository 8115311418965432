package io.sluice.transforms;

/** Copies a window of an image, filling the part of the window outside the image with a constant. */
final class Crops {
  private Crops() {}

  /** The pixels of {@code window} of {@code src}; samples outside {@code src} are {@code fill}. */
  static Image copy(Image src, Window window, int fill) {
    int channels = src.channels();
    if (window.x() == 0 && window.y() == 0 && window.width() == src.width() && window.height() == src.height()) {
      return src;
    }
    return placed(copyPixels(src, window, fill), src, window);
  }

  /** {@code out}, rendered from {@code window} of {@code src}, with its geometry. */
  static Image placed(Image out, Image src, Window window) {
    return out.withGeometry(src.geometry().window(window, out.width(), out.height()));
  }

  private static Image copyPixels(Image src, Window window, int fill) {
    int channels = src.channels();
    int width = window.width();
    int height = window.height();
    byte[] in = src.pixels();
    byte[] out = new byte[width * height * channels];
    boolean inside = window.inside(src.width(), src.height());
    if (!inside && fill != 0) {
      java.util.Arrays.fill(out, (byte) fill);
    }
    // The columns of the window that fall inside the source.
    int fromX = Math.max(0, -window.x());
    int toX = Math.min(width, src.width() - window.x());
    if (toX <= fromX) {
      return new Image(width, height, channels, out);
    }
    int rowBytes = (toX - fromX) * channels;
    for (int y = 0; y < height; y++) {
      int sy = window.y() + y;
      if (sy < 0 || sy >= src.height()) {
        continue;
      }
      System.arraycopy(in, (sy * src.width() + window.x() + fromX) * channels, out, (y * width + fromX) * channels,
          rowBytes);
    }
    return new Image(width, height, channels, out);
  }
}
