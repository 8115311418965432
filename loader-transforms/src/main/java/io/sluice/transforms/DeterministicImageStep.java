package io.sluice.transforms;

import io.sluice.loader.PrefixCodec;
import io.sluice.loader.Transform;

/**
 * A step whose 8-bit image output depends on its input alone (decode, resize, grayscale, pad, centre crop): it may
 * end a chain's deterministic prefix, whose output a prefix cache keeps as pixels ({@link ImageCodec}).
 */
interface DeterministicImageStep<I> extends Transform<I, Image> {

  @Override
  default boolean deterministic() {
    return true;
  }

  @Override
  default PrefixCodec<Image> prefixCodec() {
    return ImageCodec.INSTANCE;
  }
}
