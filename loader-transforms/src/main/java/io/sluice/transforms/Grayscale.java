package io.sluice.transforms;

import io.sluice.loader.SampleContext;

/**
 * The step behind {@link Images#grayscale()}: RGB to ITU-R BT.601 luma, with 1 output channel or the luma
 * repeated in 3; gray input is kept (or repeated).
 */
final class Grayscale implements DeterministicImageStep<Image> {
  static final Grayscale ONE = new Grayscale(1);
  static final Grayscale THREE = new Grayscale(3);

  private final int channels;

  private Grayscale(int channels) {
    this.channels = channels;
  }

  /**
   * The BT.601 luma of an 8-bit RGB sample, {@code 0.299 R + 0.587 G + 0.114 B} rounded half up.
   *
   * <p>Computed in integers with the weights scaled by 1000, so the result is the exactly rounded value of
   * the formula with these decimal weights, and a gray input ({@code r == g == b}) maps to itself.
   */
  static int luma(int r, int g, int b) {
    return (299 * r + 587 * g + 114 * b + 500) / 1000;
  }

  /** {@code input} with {@code channels} channels: RGB reduced to luma, or gray repeated, as needed. */
  static Image toChannels(Image input, int channels) {
    if (input.channels() == channels) {
      return input;
    }
    byte[] in = input.pixels();
    int pixels = input.width() * input.height();
    byte[] out = new byte[pixels * channels];
    if (channels == 1) {
      for (int i = 0, j = 0; i < pixels; i++, j += 3) {
        out[i] = (byte) luma(in[j] & 0xFF, in[j + 1] & 0xFF, in[j + 2] & 0xFF);
      }
    } else {
      for (int i = 0, j = 0; i < pixels; i++, j += 3) {
        out[j] = in[i];
        out[j + 1] = in[i];
        out[j + 2] = in[i];
      }
    }
    return new Image(input.width(), input.height(), channels, out).sameGeometryAs(input);
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    Image gray = toChannels(input, 1);
    return channels == 1 ? gray : toChannels(gray, 3);
  }

  @Override
  public String toString() {
    return channels == 1 ? "grayscale" : "grayscale(3 channels)";
  }
}
