package io.sluice.transforms;

import io.sluice.loader.Features;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Features whose values are 8-bit samples: they can be written as unsigned bytes, a quarter of the size of
 * float32, or as floats from 0 to 255 for a float batch.
 */
public interface ByteFeatures extends Features {

  /**
   * Writes the sample's values, in row-major order of {@link #shape()}, to {@code slot} as unsigned bytes.
   *
   * @param slot a buffer positioned at this sample's first value with exactly enough room for it
   */
  void writeTo(ByteBuffer slot);

  /** Writes the values as floats from 0 to 255 (exactly the unsigned bytes). */
  @Override
  void writeTo(FloatBuffer slot);
}
