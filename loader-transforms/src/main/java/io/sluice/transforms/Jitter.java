package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;

/**
 * The steps behind {@link Images#brightness} and {@link Images#contrast}: scale an image's brightness or
 * contrast by a factor drawn uniformly from {@code [max(0, 1 - amount), 1 + amount)}, as torchvision's
 * {@code ColorJitter} does.
 *
 * <p>Brightness blends with black: {@code v * f}. Contrast blends with the mean BT.601 luma {@code m} of
 * the whole image: {@code f * v + (1 - f) * m}. Results are rounded half up and clamped to [0, 255]. One
 * {@code nextDouble()} is drawn per sample, unless {@code amount} is 0.
 */
final class Jitter implements Transform<Image, Image> {
  private final boolean contrast;
  private final float amount;

  Jitter(boolean contrast, float amount) {
    if (!(amount >= 0) || !Float.isFinite(amount)) {
      throw new IllegalArgumentException((contrast ? "contrast" : "brightness")
          + " amount must be finite and not negative: " + amount);
    }
    this.contrast = contrast;
    this.amount = amount;
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    if (amount == 0) {
      return input;
    }
    double low = Math.max(0, 1 - (double) amount);
    double high = 1 + (double) amount;
    float factor = (float) (low + (high - low) * context.random().nextDouble());
    return contrast ? contrast(input, factor) : brightness(input, factor);
  }

  /** {@code round(v * factor)}, clamped, for every sample. */
  static Image brightness(Image input, float factor) {
    byte[] table = new byte[256];
    for (int v = 0; v < 256; v++) {
      table[v] = clamp(v * factor);
    }
    return map(input, table);
  }

  /** {@code round(factor * v + (1 - factor) * mean luma)}, clamped, for every sample. */
  static Image contrast(Image input, float factor) {
    float mean = (float) meanLuma(input);
    byte[] table = new byte[256];
    for (int v = 0; v < 256; v++) {
      table[v] = clamp(factor * v + (1 - factor) * mean);
    }
    return map(input, table);
  }

  /** The mean of BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B} (unrounded) over the image; gray as is. */
  static double meanLuma(Image input) {
    byte[] p = input.pixels();
    long sum = 0;
    if (input.channels() == 1) {
      for (byte b : p) {
        sum += b & 0xFF;
      }
      return (double) sum / p.length;
    }
    // Weights scaled by 1000 keep the sum exact in integers.
    for (int i = 0; i < p.length; i += 3) {
      sum += 299 * (p[i] & 0xFF) + 587 * (p[i + 1] & 0xFF) + 114 * (p[i + 2] & 0xFF);
    }
    return sum / 1000.0 / (p.length / 3);
  }

  private static byte clamp(float value) {
    int rounded = Math.round(value);
    return (byte) Math.max(0, Math.min(255, rounded));
  }

  private static Image map(Image input, byte[] table) {
    byte[] in = input.pixels();
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = table[in[i] & 0xFF];
    }
    return new Image(input.width(), input.height(), input.channels(), out).sameGeometryAs(input);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Jitter j && contrast == j.contrast && Float.compare(amount, j.amount) == 0;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(contrast) * 31 + Float.hashCode(amount);
  }

  @Override
  public String toString() {
    return (contrast ? "contrast(" : "brightness(") + amount + ")";
  }
}
