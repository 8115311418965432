package io.sluice.spark;

import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.io.Serializable;

/**
 * Builds the transform chain on an executor. Transform chains are not serialisable; the recipe is, for example
 * {@code () -> Images.decode(3).andThen(Images.resize(32, 32)).andThen(Images.imageToTensor(1 / 255f))}.
 */
@FunctionalInterface
public interface TransformProvider extends Serializable {

  /** The chain from object bytes to a sample's features. */
  Transform<? super StoredObject, ? extends Features> create();
}
