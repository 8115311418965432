package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.util.Objects;

/**
 * Image transform steps: decode, convert, crop, resize, flip, jitter, pad, scale, normalize and lay out as
 * a tensor.
 *
 * <p>Each factory returns an immutable, thread-safe {@link Transform}; steps are joined with
 * {@link Transform#andThen}. Steps with the same settings are equal, and their {@code toString} says what
 * they do, so a whole chain prints as e.g. {@code decode(3 channels) -> resize(224x224, bilinear) -> ...};
 * {@link Transforms#cacheKey} turns that description into a stable key. Random steps draw only from
 * {@link SampleContext#random()}, so their output depends on (seed, epoch, sample index) alone, never on
 * the thread or the timing. A typical training chain for an RGB classifier:
 *
 * <pre>{@code
 * Transform<StoredObject, Features> train = Images.decode(3)
 *     .andThen(Images.randomResizedCrop(224))
 *     .andThen(Images.horizontalFlip(0.5))
 *     .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
 * }</pre>
 *
 * <p>and for evaluation:
 *
 * <pre>{@code
 * Transform<StoredObject, Features> eval = Images.decode(3)
 *     .andThen(Images.resizeShorterSide(256))
 *     .andThen(Images.centerCrop(224))
 *     .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
 * }</pre>
 *
 * <p>Steps on 8-bit {@link Image}s round half up and clamp to [0, 255]. {@code normalizeToTensor} writes
 * the same values as {@code scale(1 / 255f)}, {@code normalize(mean, std)} and {@code toTensor()} but
 * straight into the batch, with no float image in between.
 */
public final class Images {

  /** The pixel limit of {@link #decode(int)}: 100 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private Images() {}

  /** The per-channel mean of ImageNet's training images for values in [0, 1], R, G, B: a new array. */
  public static float[] imageNetMean() {
    return IMAGENET_MEAN.clone();
  }

  /** The per-channel standard deviation of ImageNet's training images for values in [0, 1], R, G, B: a new array. */
  public static float[] imageNetStd() {
    return IMAGENET_STD.clone();
  }

  // ---------------------------------------------------------------------------------------------- decode

  /**
   * A step that decodes a JPEG, PNG, GIF (first frame) or BMP object into an RGB image, refusing images of
   * more than {@link #DEFAULT_MAX_PIXELS} pixels. The same as {@code decode(3)}.
   */
  public static DecodeTransform decode() {
    return new Decode(3, DEFAULT_MAX_PIXELS);
  }

  /**
   * A step that decodes a JPEG, PNG, GIF (first frame) or BMP object into an image with {@code channels}
   * channels, refusing images of more than {@link #DEFAULT_MAX_PIXELS} pixels.
   *
   * <p>The format is recognised from the bytes' signature, not from the key, so a PNG named {@code .JPEG}
   * decodes as a PNG. Gray, RGB, palette, CMYK and YCCK JPEGs, 8- and 16-bit PNGs, with or without alpha,
   * all yield the channel count asked for: with 1 channel, color is reduced to ITU-R BT.601 luma exactly as
   * by {@link #grayscale()}; with 3, gray is replicated to R, G and B. Alpha is dropped (not composited onto
   * a background), 16-bit samples are rounded to 8 bits, CMYK follows Adobe's inverted convention, and
   * samples are taken as stored: embedded color profiles and gamma are ignored, as by OpenCV and PIL. The
   * Exif orientation is ignored unless asked for with {@link DecodeTransform#exifOrientation}. The image
   * size is read from the header and checked before any pixel buffer is allocated.
   *
   * <p>The step throws a {@link SluiceException}, not retryable, whose message names the object's
   * {@link StoredObject#uri() URI} and the reason, when the object is empty, is not one of these formats, is
   * too large, or cannot be decoded whole: a truncated or corrupt file is refused even where the decoder
   * could fill in the missing part.
   *
   * <p>JPEGs are decoded by {@link JpegDecoder#defaultDecoder()} unless another is chosen with
   * {@link DecodeTransform#jpegDecoder}. Followed directly by a crop ({@link #centerCrop},
   * {@link #randomCrop}, {@link #randomResizedCrop}), the decode reads only the rows the crop needs.
   *
   * @param channels 1 (gray) or 3 (RGB)
   * @throws IllegalArgumentException if {@code channels} is not 1 or 3
   */
  public static DecodeTransform decode(int channels) {
    return new Decode(channels, DEFAULT_MAX_PIXELS);
  }

  /**
   * The same as {@code decode(channels).maxPixels(maxPixels)}.
   *
   * @param channels 1 (gray) or 3 (RGB)
   * @param maxPixels the largest width times height accepted; at most {@code Integer.MAX_VALUE / channels}
   * @throws IllegalArgumentException if {@code channels} is not 1 or 3, or {@code maxPixels} is not
   *     positive or is larger than an image can hold
   */
  public static DecodeTransform decode(int channels, long maxPixels) {
    return new Decode(channels, maxPixels);
  }

  // --------------------------------------------------------------------------------------------- color

  /**
   * A step that converts RGB images to 1-channel ITU-R BT.601 luma, {@code round(0.299 R + 0.587 G
   * + 0.114 B)} with halves rounded up; 1-channel images pass through unchanged.
   */
  public static Transform<Image, Image> grayscale() {
    return Grayscale.ONE;
  }

  /**
   * A step that converts images to BT.601 luma as {@link #grayscale()} does, with {@code channels} output
   * channels: 3 repeats the luma in R, G and B, for models that expect color input.
   *
   * @throws IllegalArgumentException if {@code channels} is not 1 or 3
   */
  public static Transform<Image, Image> grayscale(int channels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("grayscale channels must be 1 or 3: " + channels);
    }
    return channels == 1 ? Grayscale.ONE : Grayscale.THREE;
  }

  /**
   * A step that scales brightness by a random factor drawn uniformly from {@code [max(0, 1 - amount),
   * 1 + amount)}: each sample becomes {@code round(v * factor)}, clamped to [0, 255]. As torchvision's
   * {@code ColorJitter(brightness=amount)}.
   *
   * @throws IllegalArgumentException if {@code amount} is negative or not finite
   */
  public static Transform<Image, Image> brightness(float amount) {
    return new Jitter(false, amount);
  }

  /**
   * A step that scales contrast by a random factor drawn uniformly from {@code [max(0, 1 - amount),
   * 1 + amount)}: each sample becomes {@code round(factor * v + (1 - factor) * mean)}, clamped to [0, 255],
   * where {@code mean} is the image's mean BT.601 luma. As torchvision's {@code ColorJitter(contrast=amount)}.
   *
   * @throws IllegalArgumentException if {@code amount} is negative or not finite
   */
  public static Transform<Image, Image> contrast(float amount) {
    return new Jitter(true, amount);
  }

  // -------------------------------------------------------------------------------------------- resize

  /**
   * A step that resizes images to {@code width} x {@code height} by bilinear interpolation.
   *
   * <p>Pixel centres are aligned as by OpenCV's {@code INTER_LINEAR} (and PIL without antialiasing):
   * destination column {@code x} samples the source at {@code (x + 0.5) * srcWidth / width - 0.5}, clamped
   * to the image, and likewise for rows; results are rounded half up. Large downscales therefore alias, as
   * they do with those libraries; use {@link Interpolation#AREA} to avoid that. An image that already has
   * the size is returned as is.
   *
   * @throws IllegalArgumentException if {@code width} or {@code height} is not positive, or the result
   *     would be too large for an image
   */
  public static Transform<Image, Image> resize(int width, int height) {
    return Resize.exact(width, height, Interpolation.BILINEAR);
  }

  /**
   * A step that resizes images to {@code width} x {@code height} with {@code interpolation}.
   *
   * @throws IllegalArgumentException if {@code width} or {@code height} is not positive, or the result
   *     would be too large for an image
   * @throws NullPointerException if {@code interpolation} is null
   */
  public static Transform<Image, Image> resize(int width, int height, Interpolation interpolation) {
    return Resize.exact(width, height, interpolation);
  }

  /**
   * A step that resizes images, keeping their aspect ratio, so that the shorter side is {@code size}: the
   * longer side becomes {@code floor(size * longer / shorter)}, as torchvision's {@code Resize(size)}.
   * Bilinear.
   *
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  public static Transform<Image, Image> resizeShorterSide(int size) {
    return Resize.shorterSide(size, Interpolation.BILINEAR);
  }

  /**
   * A step that resizes images so that the shorter side is {@code size}, keeping the aspect ratio, with
   * {@code interpolation}.
   *
   * @throws IllegalArgumentException if {@code size} is not positive
   * @throws NullPointerException if {@code interpolation} is null
   */
  public static Transform<Image, Image> resizeShorterSide(int size, Interpolation interpolation) {
    return Resize.shorterSide(size, interpolation);
  }

  // --------------------------------------------------------------------------------------------- crops

  /** The same as {@code centerCrop(size, size)}. */
  public static Transform<Image, Image> centerCrop(int size) {
    return new CenterCrop(size, size);
  }

  /**
   * A step that keeps the central {@code width x height} window. It starts at {@code round((W - width) / 2)}
   * (halves to even, as torchvision); where the image is smaller than the window it is padded with zeros,
   * the odd pixel going to the right or bottom.
   *
   * @throws IllegalArgumentException if a dimension is not positive
   */
  public static Transform<Image, Image> centerCrop(int width, int height) {
    return new CenterCrop(width, height);
  }

  /** The same as {@code randomCrop(size, size)}. */
  public static Transform<Image, Image> randomCrop(int size) {
    return new RandomCrop(size, size);
  }

  /**
   * A step that keeps a {@code width x height} window at a random position: the top is drawn uniformly
   * from {@code [0, H - height]}, then the left from {@code [0, W - width]}. An image smaller than the window
   * fails with a {@link SluiceException} naming the key; pad or resize first.
   *
   * @throws IllegalArgumentException if a dimension is not positive
   */
  public static Transform<Image, Image> randomCrop(int width, int height) {
    return new RandomCrop(width, height);
  }

  /**
   * The same as {@code randomResizedCrop(size, size, 0.08, 1.0, 3.0 / 4, 4.0 / 3, Interpolation.BILINEAR)}:
   * the ImageNet training crop.
   */
  public static Transform<Image, Image> randomResizedCrop(int size) {
    return randomResizedCrop(size, size, 0.08, 1.0, 3.0 / 4, 4.0 / 3, Interpolation.BILINEAR);
  }

  /**
   * A step that crops a random window of random area and aspect ratio and resizes it to
   * {@code width x height}, choosing the window as torchvision's {@code RandomResizedCrop} does.
   *
   * <p>Up to ten attempts each draw an area fraction uniformly from {@code [minScale, maxScale)} and an aspect
   * ratio (width / height) log-uniformly from {@code [minRatio, maxRatio)}; the first window that fits is
   * placed uniformly at random (top, then left). If none fits, the central crop of the whole image, clamped
   * to the ratio range, is used.
   *
   * @throws IllegalArgumentException if a dimension is not positive, or the ranges do not satisfy
   *     {@code 0 < minScale <= maxScale <= 1} and {@code 0 < minRatio <= maxRatio}
   * @throws NullPointerException if {@code interpolation} is null
   */
  public static Transform<Image, Image> randomResizedCrop(int width, int height, double minScale, double maxScale,
      double minRatio, double maxRatio, Interpolation interpolation) {
    return new RandomResizedCrop(width, height, minScale, maxScale, minRatio, maxRatio, interpolation);
  }

  // ------------------------------------------------------------------------------------- flips and pad

  /**
   * A step that mirrors images left to right with probability {@code p}. With 0 or 1 it draws nothing;
   * otherwise it draws one {@code nextDouble()} per sample and flips when it is below {@code p}.
   *
   * @throws IllegalArgumentException if {@code p} is not between 0 and 1
   */
  public static Transform<Image, Image> horizontalFlip(double p) {
    return new Flip(true, p);
  }

  /**
   * A step that mirrors images top to bottom with probability {@code p}, drawing as
   * {@link #horizontalFlip} does.
   *
   * @throws IllegalArgumentException if {@code p} is not between 0 and 1
   */
  public static Transform<Image, Image> verticalFlip(double p) {
    return new Flip(false, p);
  }

  /** The same as {@code pad(padding, padding, padding, padding, 0)}. */
  public static Transform<Image, Image> pad(int padding) {
    return new Pad(padding, padding, padding, padding, 0);
  }

  /**
   * A step that adds a border of constant samples {@code fill} around images.
   *
   * @throws IllegalArgumentException if a padding is negative, or {@code fill} is not between 0 and 255
   */
  public static Transform<Image, Image> pad(int left, int top, int right, int bottom, int fill) {
    return new Pad(left, top, right, bottom, fill);
  }

  // -------------------------------------------------------------------------------------- float values

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

  // ------------------------------------------------------------------------------------------- tensors

  /**
   * A step that lays a float image out as {@link Features} of shape {@code [channels, height, width]}.
   *
   * <p>The values are transposed from HWC to CHW as they are written into the batch slot, with no
   * intermediate copy.
   */
  public static Transform<FloatImage, Features> toTensor() {
    return ToTensor.CHW;
  }

  /**
   * A step that lays a float image out as {@link Features} in {@code layout}: {@code [channels, height,
   * width]} or {@code [height, width, channels]}.
   *
   * @throws NullPointerException if {@code layout} is null
   */
  public static Transform<FloatImage, Features> toTensor(TensorLayout layout) {
    return ToTensor.of(layout);
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
    return ImageToTensor.scaled(scale, TensorLayout.CHW);
  }

  /**
   * A step that lays an 8-bit image out as {@link Features} in {@code layout}, each sample times
   * {@code scale}.
   *
   * @throws IllegalArgumentException if {@code scale} is NaN or infinite
   * @throws NullPointerException if {@code layout} is null
   */
  public static Transform<Image, Features> imageToTensor(float scale, TensorLayout layout) {
    return ImageToTensor.scaled(scale, layout);
  }

  /**
   * A step that writes each sample {@code v} of channel {@code c} as {@code (v / 255 - mean[c]) / std[c]},
   * in CHW order: bit for bit the values of {@code scale(1 / 255f).andThen(normalize(mean, std))
   * .andThen(toTensor())}, written straight into the batch slot.
   *
   * @throws IllegalArgumentException as {@link #normalize} does
   * @throws NullPointerException if an array is null
   */
  public static Transform<Image, Features> normalizeToTensor(float[] mean, float[] std) {
    return ImageToTensor.normalized(mean, std, TensorLayout.CHW);
  }

  /**
   * As {@link #normalizeToTensor(float[], float[])}, laid out in {@code layout}.
   *
   * @throws IllegalArgumentException as {@link #normalize} does
   * @throws NullPointerException if an argument is null
   */
  public static Transform<Image, Features> normalizeToTensor(float[] mean, float[] std, TensorLayout layout) {
    return ImageToTensor.normalized(mean, std, layout);
  }

  /**
   * A step that lays an 8-bit image out as {@link ByteFeatures} in {@code layout}: the samples as unsigned
   * bytes (or as the floats 0 to 255 when written into a float batch).
   *
   * @throws NullPointerException if {@code layout} is null
   */
  public static Transform<Image, ByteFeatures> byteTensor(TensorLayout layout) {
    return byteTensorStep(layout);
  }

  @SuppressWarnings("unchecked")
  private static Transform<Image, ByteFeatures> byteTensorStep(TensorLayout layout) {
    Transform<Image, ? extends Features> step = ImageToTensor.bytes(layout);
    return (Transform<Image, ByteFeatures>) step;
  }
}
