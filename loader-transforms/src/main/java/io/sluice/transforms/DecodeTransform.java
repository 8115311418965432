package io.sluice.transforms;

import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;

/**
 * The decode step: image bytes to an 8-bit {@link Image}, configured by immutable copies.
 *
 * <pre>{@code
 * Images.decode(3).exifOrientation(true).maxPixels(50_000_000)
 * }</pre>
 *
 * <p>Each method returns a new step and leaves this one as it was.
 */
public interface DecodeTransform extends Transform<StoredObject, Image> {

  /**
   * A step that refuses images whose header declares more than {@code maxPixels} pixels (width times
   * height), before any pixel buffer is allocated. Default {@link Images#DEFAULT_MAX_PIXELS}.
   *
   * @throws IllegalArgumentException if not positive, or larger than an image of this step's channels can
   *     hold ({@code Integer.MAX_VALUE / channels})
   */
  DecodeTransform maxPixels(long maxPixels);

  /**
   * A step that turns JPEGs upright by their Exif orientation tag (rotations and mirrorings, as PIL's
   * {@code exif_transpose} does), or, with {@code false}, keeps the pixels as stored. Default {@code false}:
   * datasets such as ImageNet were prepared without it.
   */
  DecodeTransform exifOrientation(boolean apply);

  /**
   * A step that decodes JPEGs with {@code decoder}. Default {@link JpegDecoder#defaultDecoder()}.
   *
   * @throws IllegalStateException if the decoder is not available in this JVM, saying why
   */
  DecodeTransform jpegDecoder(JpegDecoder decoder);

  /**
   * A step that may decode at 1/2, 1/4 or 1/8 of the stored size, as long as the result is at least
   * {@code width x height} (after Exif orientation, if applied): the largest such reduction is used, and the
   * result is {@code ceil(w / n) x ceil(h / n)}. With {@link JpegDecoder#LIBJPEG_TURBO} or {@link JpegDecoder#OPENCV}
   * JPEGs are reduced in the DCT domain, which costs a fraction of a full decode; otherwise the full image is
   * reduced by averaging {@code n x n} blocks. Use it ahead of a resize to at most half the stored size, so the
   * resize has fewer pixels to read. Default: no reduction.
   *
   * @throws IllegalArgumentException if {@code width} or {@code height} is not positive
   */
  DecodeTransform minimumSize(int width, int height);
}
