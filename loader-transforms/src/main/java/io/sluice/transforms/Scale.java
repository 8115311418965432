package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;

/** The step behind {@link Images#scale}: each 8-bit sample times a constant, as a float. */
final class Scale implements Transform<Image, FloatImage> {
  private final float factor;

  Scale(float factor) {
    this.factor = checkFinite(factor, "scale factor");
  }

  /**
   * Returns {@code value} if it is finite.
   *
   * @throws IllegalArgumentException naming {@code what} and the value otherwise
   */
  static float checkFinite(float value, String what) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be finite: " + value);
    }
    return value;
  }

  @Override
  public FloatImage apply(Image input, SampleContext context) {
    byte[] pixels = input.pixels();
    float[] values = new float[pixels.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (pixels[i] & 0xFF) * factor;
    }
    return new FloatImage(input.width(), input.height(), input.channels(), values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scale s && Float.compare(factor, s.factor) == 0;
  }

  @Override
  public int hashCode() {
    return Float.hashCode(factor);
  }

  @Override
  public boolean deterministic() {
    return true;
  }

  @Override
  public String toString() {
    return "scale(" + factor + ")";
  }
}
