package io.sluice.transforms;

import io.sluice.loader.SampleContext;

/**
 * The step behind {@link Images#centerCrop}: the central {@code width x height} window, placed as torchvision
 * places it ({@code round((W - w) / 2)} with halves to even); an image smaller than the window is padded
 * with zeros, the extra column or row going to the right or bottom.
 */
final class CenterCrop implements WindowStep, DeterministicImageStep<Image> {
  private final int width;
  private final int height;

  CenterCrop(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("crop dimensions must be positive: " + width + "x" + height);
    }
    if ((long) width * height * 3 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("crop dimensions are too large for an image: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
  }

  @Override
  public Window window(int imageWidth, int imageHeight, SampleContext context) {
    return new Window(offset(imageWidth, width), offset(imageHeight, height), width, height);
  }

  /** Where a window of {@code size} starts along an axis of {@code length}. */
  private static int offset(int length, int size) {
    if (length >= size) {
      return (int) Math.rint((length - size) / 2.0);
    }
    return -((size - length) / 2);
  }

  @Override
  public Image render(Image source, Window window, SampleContext context) {
    return Crops.copy(source, window, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CenterCrop c && width == c.width && height == c.height;
  }

  @Override
  public int hashCode() {
    return 31 * width + height;
  }

  @Override
  public String toString() {
    return "centerCrop(" + width + "x" + height + ")";
  }
}
