package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;

/**
 * Image transform steps: decode, convert, resize, scale, normalize and lay out as a tensor.
 *
 * <p>Each factory returns an immutable, thread-safe {@link Transform}; steps are joined with
 * {@link Transform#andThen}. Steps with the same settings are equal, and their {@code toString} says what
 * they do, so a whole chain prints as e.g. {@code decode(3 channels) -> resize(224x224, bilinear) -> ...}.
 * A typical chain for an RGB classifier:
 *
 * <pre>{@code
 * Transform<StoredObject, Features> chain = Images.decode(3)
 *     .andThen(Images.resize(224, 224))
 *     .andThen(Images.scale(1 / 255f))
 *     .andThen(Images.normalize(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}))
 *     .andThen(Images.toTensor());
 * }</pre>
 *
 * <p>Without normalization, {@code Images.decode(3).andThen(Images.resize(224, 224))
 * .andThen(Images.imageToTensor(1 / 255f))} does the same with one allocation less per sample.
 */
public final class Images {

  /** The pixel limit of {@link #decode(int)}: 100 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private Images() {}

  /**
   * A step that decodes a JPEG or PNG object into an image with {@code channels} channels, refusing images
   * of more than {@link #DEFAULT_MAX_PIXELS} pixels.
   *
   * @see #decode(int, long)
   * @throws IllegalArgumentException if {@code channels} is not 1 or 3
   */
  public static Transform<StoredObject, Image> decode(int channels) {
    return new Decode(channels, DEFAULT_MAX_PIXELS);
  }

  /**
   * A step that decodes a JPEG or PNG object into an image with {@code channels} channels, refusing images
   * of more than {@code maxPixels} pixels.
   *
   * <p>The format is recognised from the bytes' signature, not from the key. Gray, RGB, palette, 8- and
   * 16-bit images, with or without alpha, all yield the channel count asked for: with 1 channel, color is
   * reduced to ITU-R BT.601 luma exactly as by {@link #grayscale()}; with 3, gray is replicated to R, G
   * and B. Alpha is dropped (not composited onto a background), 16-bit samples are rounded to 8 bits, and
   * samples are taken as stored: embedded color profiles and gamma are ignored, as by OpenCV and PIL. The
   * image size is read from the header, and checked against {@code maxPixels} before any pixel is decoded.
   *
   * <p>The step throws a {@link SluiceException}, not retryable, whose message names the object's
   * {@link StoredObject#uri() URI} and the reason, when the object is empty, is neither JPEG nor PNG, is
   * too large, or cannot be decoded whole: a truncated or corrupt file is refused even where the decoder
   * could fill in the missing part.
   *
   * @param channels 1 (gray) or 3 (RGB)
   * @param maxPixels the largest width times height accepted; at most {@code Integer.MAX_VALUE / channels}
   * @throws IllegalArgumentException if {@code channels} is not 1 or 3, or {@code maxPixels} is not
   *     positive or is larger than an image can hold
   */
  public static Transform<StoredObject, Image> decode(int channels, long maxPixels) {
    return new Decode(channels, maxPixels);
  }

  /**
   * A step that converts RGB images to 1-channel ITU-R BT.601 luma, {@code round(0.299 R + 0.587 G
   * + 0.114 B)} with halves rounded up; 1-channel images pass through unchanged.
   */
  public static Transform<Image, Image> grayscale() {
    return Grayscale.INSTANCE;
  }

  /**
   * A step that resizes images to {@code width} x {@code height} by bilinear interpolation.
   *
   * <p>Pixel centres are aligned as by OpenCV's {@code INTER_LINEAR} (and PIL without antialiasing):
   * destination column {@code x} samples the source at {@code (x + 0.5) * srcWidth / width - 0.5}, clamped
   * to the image, and likewise for rows; results are rounded half up. Large downscales therefore alias, as
   * they do with those libraries. An image that already has the size is returned as is.
   *
   * @throws IllegalArgumentException if {@code width} or {@code height} is not positive, or the result
   *     would be too large for an image
   */
  public static Transform<Image, Image> resize(int width, int height) {
    return new Resize(width, height);
  }

  /**
   * A step that converts each 8-bit sample to a float times {@code factor}, e.g. {@code 1 / 255f} for
   * values in [0, 1].
   *
   * @throws IllegalArgumentException if {@code factor} is NaN or infinite
   */
  public static Transform<Image, FloatImage> scale(float factor) {
    return new Scale(factor);
  }

  /**
   * A step that normalizes each channel {@code c} of float images to {@code (value - mean[c]) / std[c]}.
   *
   * <p>The arrays are copied. The step throws a {@link SluiceException} naming the sample's key when an
   * image does not have {@code mean.length} channels.
   *
   * @param mean the per-channel means: 1 or 3 finite values
   * @param std the per-channel standard deviations: as many as {@code mean}, each positive and finite
   * @throws IllegalArgumentException if the lengths are wrong or differ, or a value is out of range
   * @throws NullPointerException if {@code mean} or {@code std} is null
   */
  public static Transform<FloatImage, FloatImage> normalize(float[] mean, float[] std) {
    return new Normalize(mean, std);
  }

  /**
   * A step that lays a float image out as {@link Features} of shape {@code [channels, height, width]}.
   *
   * <p>The values are transposed from HWC to CHW as they are written into the batch slot, with no
   * intermediate copy.
   */
  public static Transform<FloatImage, Features> toTensor() {
    return ToTensor.INSTANCE;
  }

  /**
   * A step that lays an 8-bit image out as {@link Features} of shape {@code [channels, height, width]},
   * each sample times {@code scale}.
   *
   * <p>Equivalent to {@code scale(scale).andThen(toTensor())}, but converts and transposes as it writes
   * into the batch slot, with no intermediate float image.
   *
   * @throws IllegalArgumentException if {@code scale} is NaN or infinite
   */
  public static Transform<Image, Features> imageToTensor(float scale) {
    return new ImageToTensor(scale);
  }
}
