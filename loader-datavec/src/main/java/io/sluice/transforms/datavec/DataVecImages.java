package io.sluice.transforms.datavec;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.transforms.Image;
import io.sluice.transforms.Transforms;
import java.util.Objects;
import java.util.function.Supplier;
import org.datavec.image.transform.ImageTransform;

/**
 * DataVec {@link ImageTransform}s as steps of a Sluice chain, between two {@link Image}s:
 *
 * <pre>{@code
 * Transform<StoredObject, Features> chain = Images.decode(3)
 *     .andThen(DataVecImages.dataVec("flip(random)", () -> new FlipImageTransform(new Random())))
 *     .andThen(Images.imageToTensor(1 / 255f));
 * }</pre>
 *
 * <p>This module ({@code io.sluice:loader-datavec}) is optional: it brings DataVec's image library and its
 * native libraries (OpenCV, FFmpeg, Leptonica, HDF5 ...). With it on the class path,
 * {@code Images.decode(3).jpegDecoder(JpegDecoder.OPENCV)} decodes JPEGs with OpenCV too.
 */
public final class DataVecImages {
  private DataVecImages() {}

  /**
   * A step that runs a DataVec {@link ImageTransform} on the image, converting to and from DataVec's
   * {@code ImageWritable} (an OpenCV matrix in BGR order).
   *
   * <p>A transform built with a {@code Random} (DataVec's way of asking for random choices, e.g.
   * {@code new FlipImageTransform(new Random())}) is given instead a {@code java.util.Random} seeded from
   * {@link SampleContext#random()}, so its choices are reproducible like every other step's; one built
   * without applies its fixed settings. DataVec transforms keep state between calls,
   * so calls to this one are serialized; for parallel use give a factory with
   * {@link #dataVec(String, Supplier)}. The step is described (for {@code toString()}, {@code equals} and
   * {@link Transforms#cacheKey}) by the transform's {@code toString()} as it is now; if that names no
   * settings, or holds identity hashes, give a description with {@link #dataVec(String, Supplier)}.
   *
   * <p>The output may have 1, 3 or 4 (alpha dropped) 8-bit channels; anything else fails with a
   * {@link SluiceException} naming the key.
   *
   * @throws NullPointerException if {@code transform} is null
   */
  public static Transform<Image, Image> dataVec(ImageTransform transform) {
    Objects.requireNonNull(transform, "transform");
    return new DataVecImageStep(String.valueOf(transform), () -> transform, true);
  }

  /**
   * A step that runs DataVec {@link ImageTransform}s made by {@code factory}, one per worker thread, so
   * samples are transformed in parallel. {@code description} stands for the transform in the chain's
   * {@code toString()} and {@link Transforms#cacheKey}: give every setting that changes the output.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Transform<Image, Image> dataVec(String description, Supplier<? extends ImageTransform> factory) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(factory, "factory");
    return new DataVecImageStep(description, factory, false);
  }
}
