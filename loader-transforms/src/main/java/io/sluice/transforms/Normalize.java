package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import java.util.Arrays;
import java.util.Objects;

/** The step behind {@link Images#normalize}: {@code (value - mean[c]) / std[c]} for each channel c. */
final class Normalize implements Transform<FloatImage, FloatImage> {
  private final float[] mean;
  private final float[] std;

  Normalize(float[] mean, float[] std) {
    check(mean, std);
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /**
   * Checks per-channel statistics.
   *
   * @throws IllegalArgumentException naming the bad value
   * @throws NullPointerException if an array is null
   */
  static void check(float[] mean, float[] std) {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(std, "std");
    if (mean.length != 1 && mean.length != 3) {
      throw new IllegalArgumentException("mean must have 1 or 3 values, one per channel: "
          + Arrays.toString(mean));
    }
    if (std.length != mean.length) {
      throw new IllegalArgumentException("mean and std must have the same length: mean "
          + Arrays.toString(mean) + ", std " + Arrays.toString(std));
    }
    for (int c = 0; c < mean.length; c++) {
      Scale.checkFinite(mean[c], "mean[" + c + "]");
      if (!(std[c] > 0) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException("std[" + c + "] must be positive and finite: " + std[c]);
      }
    }
  }

  @Override
  public FloatImage apply(FloatImage input, SampleContext context) {
    int channels = input.channels();
    if (channels != mean.length) {
      throw new SluiceException(this + " needs " + mean.length + "-channel images but " + context.key()
          + " has " + channels + " channels", context.key(), false, null);
    }
    float[] in = input.values();
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i += channels) {
      for (int c = 0; c < channels; c++) {
        out[i + c] = (in[i + c] - mean[c]) / std[c];
      }
    }
    return new FloatImage(input.width(), input.height(), channels, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalize n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public boolean deterministic() {
    return true;
  }

  @Override
  public String toString() {
    return "normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
  }
}
