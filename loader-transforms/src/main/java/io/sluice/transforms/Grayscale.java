package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;

/** The step behind {@link Images#grayscale()}: RGB to ITU-R BT.601 luma; gray passes through. */
enum Grayscale implements Transform<Image, Image> {
  INSTANCE;

  /**
   * The BT.601 luma of an 8-bit RGB sample, {@code 0.299 R + 0.587 G + 0.114 B} rounded half up.
   *
   * <p>Computed in integers with the weights scaled by 1000, so the result is the exactly rounded value of
   * the formula with these decimal weights, and a gray input ({@code r == g == b}) maps to itself.
   */
  static int luma(int r, int g, int b) {
    return (299 * r + 587 * g + 114 * b + 500) / 1000;
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    if (input.channels() == 1) {
      return input;
    }
    byte[] rgb = input.pixels();
    byte[] gray = new byte[input.width() * input.height()];
    for (int i = 0, j = 0; i < gray.length; i++, j += 3) {
      gray[i] = (byte) luma(rgb[j] & 0xFF, rgb[j + 1] & 0xFF, rgb[j + 2] & 0xFF);
    }
    return new Image(input.width(), input.height(), 1, gray);
  }

  @Override
  public String toString() {
    return "grayscale";
  }
}
