package io.sluice.transforms;

import io.sluice.loader.Features;

/**
 * Features made from an image, which still know where its pixels came from: {@link Detection} and
 * {@link Segmentation} targets map boxes and masks through this geometry. {@link Images#imageToTensor},
 * {@link Images#normalizeToTensor} and {@link Images#byteTensor} make them.
 */
public interface ImageFeatures extends Features {

  /** The geometry of the image the features were made from. */
  ImageGeometry geometry();
}
