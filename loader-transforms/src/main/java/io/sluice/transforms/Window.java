package io.sluice.transforms;

/**
 * A rectangle of an image, in pixels: the part a crop keeps. It may reach outside the image, where a
 * center crop larger than the image pads.
 */
record Window(int x, int y, int width, int height) {

  /** Whether the window lies wholly inside a {@code imageWidth x imageHeight} image. */
  boolean inside(int imageWidth, int imageHeight) {
    return x >= 0 && y >= 0 && x + width <= imageWidth && y + height <= imageHeight;
  }

  /** The window moved by {@code (-dx, -dy)}. */
  Window translate(int dx, int dy) {
    return new Window(x - dx, y - dy, width, height);
  }

  /** The whole of an image. */
  static Window whole(Image image) {
    return new Window(0, 0, image.width(), image.height());
  }
}
