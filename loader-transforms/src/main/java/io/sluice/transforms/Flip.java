package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;

/**
 * The steps behind {@link Images#horizontalFlip} and {@link Images#verticalFlip}: mirror left to right or
 * top to bottom with probability {@code p}. A probability of 0 or 1 draws nothing; otherwise one
 * {@code nextDouble()} is drawn per sample and the image is flipped when it is below {@code p}.
 */
final class Flip implements Transform<Image, Image> {
  private final boolean horizontal;
  private final double probability;

  Flip(boolean horizontal, double probability) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("flip probability must be between 0 and 1: " + probability);
    }
    this.horizontal = horizontal;
    this.probability = probability;
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    if (!draw(context)) {
      return input;
    }
    return horizontal ? mirrorColumns(input) : mirrorRows(input);
  }

  /** Whether to flip this sample: draws one {@code nextDouble()} unless the probability is 0 or 1. */
  boolean draw(SampleContext context) {
    return probability >= 1 || (probability > 0 && context.random().nextDouble() < probability);
  }

  boolean horizontal() {
    return horizontal;
  }

  static Image mirrorColumns(Image input) {
    int width = input.width();
    int channels = input.channels();
    byte[] in = input.pixels();
    byte[] out = new byte[in.length];
    int rowLength = width * channels;
    for (int row = 0; row < in.length; row += rowLength) {
      if (channels == 3) {
        for (int x = 0, i = row, j = row + rowLength - 3; x < width; x++, i += 3, j -= 3) {
          out[j] = in[i];
          out[j + 1] = in[i + 1];
          out[j + 2] = in[i + 2];
        }
      } else {
        for (int i = row, j = row + rowLength - 1; i < row + rowLength; i++, j--) {
          out[j] = in[i];
        }
      }
    }
    return new Image(width, input.height(), channels, out).withGeometry(input.geometry().mirrorColumns());
  }

  static Image mirrorRows(Image input) {
    byte[] in = input.pixels();
    byte[] out = new byte[in.length];
    int rowLength = input.width() * input.channels();
    int height = input.height();
    for (int y = 0; y < height; y++) {
      System.arraycopy(in, y * rowLength, out, (height - 1 - y) * rowLength, rowLength);
    }
    return new Image(input.width(), height, input.channels(), out).withGeometry(input.geometry().mirrorRows());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Flip f && horizontal == f.horizontal && Double.compare(probability, f.probability) == 0;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(horizontal) * 31 + Double.hashCode(probability);
  }

  @Override
  public String toString() {
    return (horizontal ? "horizontalFlip(p=" : "verticalFlip(p=") + probability + ")";
  }
}
