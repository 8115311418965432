package io.sluice.loader;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * A sample's features, ready to be written into its slot of a batch tensor.
 *
 * <p>The last step of a loader's transform chain yields {@code Features}. The loader preallocates one
 * tensor per batch and asks each sample to {@link #writeTo write itself} into its own slot, so no
 * per-sample {@code INDArray} is created.
 */
public interface Features {

  /** The shape of one sample, e.g. {@code [3, 224, 224]} for a CHW image. Same for every sample. */
  long[] shape();

  /**
   * Writes the sample's values, in row-major order of {@link #shape()}, to {@code slot}.
   *
   * @param slot a buffer positioned at this sample's first value with exactly enough room for it
   */
  void writeTo(FloatBuffer slot);

  /**
   * Writes the sample's values as unsigned bytes, for a loader built with
   * {@link DataLoader.Builder#uint8Features}. Image features from {@code Images.byteTensor} do; others refuse.
   *
   * @param slot a buffer positioned at this sample's first value with exactly enough room for it
   * @throws UnsupportedOperationException if these features are not 8-bit values
   */
  default void writeTo(ByteBuffer slot) {
    throw new UnsupportedOperationException(this + " are not 8-bit values: end the chain with "
        + "Images.byteTensor() to hand out uint8 batches");
  }

  /**
   * Features held in a float array.
   *
   * @param values the values in row-major order (not copied)
   * @param shape the shape; its product must equal {@code values.length}
   */
  static Features of(float[] values, long... shape) {
    long n = 1;
    for (long d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape dimensions must be positive: " + java.util.Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + n
          + " values but " + values.length + " were given");
    }
    long[] s = shape.clone();
    return new Features() {
      @Override
      public long[] shape() {
        return s.clone();
      }

      @Override
      public void writeTo(FloatBuffer slot) {
        slot.put(values);
      }
    };
  }
}
