package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The step behind {@link Images#decode(int)}: JPEG, PNG, GIF (first frame) or BMP bytes to an 8-bit image.
 *
 * <p>The format is recognised by its signature, never by the key's extension. The size is read from the
 * header first, and an image with more than the allowed number of pixels is rejected before any pixel
 * buffer is allocated. A decoder warning (a truncated or corrupt JPEG still decodes, with the missing part
 * filled in) makes the decode fail, so a damaged object is never silently trained on.
 *
 * <p>Followed by a crop ({@link WindowStep}), {@link #andThen} returns one fused step that decodes only the
 * rows the crop needs where it can; see {@link DecodeThenCrop}.
 */
final class Decode implements DecodeTransform, DeterministicImageStep<StoredObject> {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final int SHOWN_BYTES = 8;
  private static final int[] REDUCTIONS = {8, 4, 2};

  private final int channels;
  private final long maxPixels;
  private final boolean exifOrientation;
  private final JpegDecoder decoder;
  private final int minWidth;
  private final int minHeight;

  Decode(int channels, long maxPixels) {
    this(channels, maxPixels, false, JpegDecoder.defaultDecoder(), 0, 0);
  }

  private Decode(int channels, long maxPixels, boolean exifOrientation, JpegDecoder decoder, int minWidth,
      int minHeight) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("decode channels must be 1 or 3: " + channels);
    }
    // One Image is backed by one array, so it can hold no more than Integer.MAX_VALUE samples.
    long largest = Integer.MAX_VALUE / channels;
    if (maxPixels <= 0 || maxPixels > largest) {
      throw new IllegalArgumentException("maxPixels must be between 1 and " + largest + " for " + channels
          + " channels: " + maxPixels);
    }
    this.channels = channels;
    this.maxPixels = maxPixels;
    this.exifOrientation = exifOrientation;
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.minWidth = minWidth;
    this.minHeight = minHeight;
  }

  @Override
  public DecodeTransform maxPixels(long maxPixels) {
    return new Decode(channels, maxPixels, exifOrientation, decoder, minWidth, minHeight);
  }

  @Override
  public DecodeTransform exifOrientation(boolean apply) {
    return new Decode(channels, maxPixels, apply, decoder, minWidth, minHeight);
  }

  @Override
  public DecodeTransform jpegDecoder(JpegDecoder decoder) {
    Objects.requireNonNull(decoder, "decoder");
    String problem = decoder.problem();
    if (problem != null) {
      throw new IllegalStateException("the " + decoder + " JPEG decoder is not available: " + problem);
    }
    return new Decode(channels, maxPixels, exifOrientation, decoder, minWidth, minHeight);
  }

  @Override
  public DecodeTransform minimumSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("minimum size must be positive: " + width + "x" + height);
    }
    return new Decode(channels, maxPixels, exifOrientation, decoder, width, height);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> Transform<StoredObject, R> andThen(Transform<? super Image, ? extends R> next) {
    if (next instanceof WindowStep crop) {
      return (Transform<StoredObject, R>) new DecodeThenCrop(this, crop);
    }
    return DecodeTransform.super.andThen(next);
  }

  @Override
  public Image apply(StoredObject object, SampleContext context) {
    return decode(object, context, null);
  }

  /**
   * Decodes {@code object}; then, if {@code crop} is not null, applies it, decoding only the window it needs
   * when the decoder can.
   */
  Image decode(StoredObject object, SampleContext context, WindowStep crop) {
    String key = object.uri();
    byte[] bytes = object.bytes();
    if (bytes.length == 0) {
      throw failure(key, "the object is empty (0 bytes)", null);
    }
    String format = format(bytes);
    if (format == null) {
      throw failure(key, "not a recognised image (first bytes " + firstBytes(bytes) + ")", null);
    }
    try {
      if (format.equals("jpeg")) {
        return jpeg(bytes, context, crop);
      }
      long[] size = declaredSize(format, bytes);
      if (size != null) {
        TooLargeException.check(size[0], size[1], maxPixels);
      }
      Image image = reduce(ImageIoDecoding.read(bytes, format, channels, maxPixels));
      return crop == null ? image : crop.apply(image, context);
    } catch (TooLargeException e) {
      throw failure(key, e.getMessage(), null);
    } catch (MalformedImageException e) {
      String reason = e.getMessage();
      throw failure(key, reason.startsWith("truncated") ? reason : "invalid " + format + ": " + reason, e);
    } catch (IOException e) {
      throw failure(key, "invalid " + format + ": " + describe(e), e);
    }
  }

  private Image jpeg(byte[] bytes, SampleContext context, WindowStep crop) throws IOException {
    JpegHeader header = JpegHeader.parse(bytes);
    TooLargeException.check(header.width, header.height, maxPixels);
    if (header.precision != 8) {
      throw new MalformedImageException(header.precision + "-bit samples are not supported");
    }
    int orientation = exifOrientation ? header.orientation : JpegHeader.NORMAL;
    int reduction = reduction(header.shownWidth(exifOrientation), header.shownHeight(exifOrientation));
    Window whole = new Window(0, 0, header.width, header.height);

    JpegHeader.ColorSpace space = header.colorSpace();
    boolean grayOrYcc = space == JpegHeader.ColorSpace.GRAY || space == JpegHeader.ColorSpace.YCBCR;
    boolean windows = decoder == JpegDecoder.IMAGE_IO || grayOrYcc && decoder.codec().decodesWindows();
    if (crop != null && windows && reduction == 1 && orientation == JpegHeader.NORMAL) {
      Window window = crop.window(header.width, header.height, context);
      Window region = region(window, header.width, header.height);
      Image part = decoder == JpegDecoder.IMAGE_IO ? ImageIoDecoding.jpeg(bytes, header, channels, region)
          : codecWindow(bytes, header, region);
      part = part.withGeometry(ImageGeometry.identity(header.width, header.height)
          .window(region, region.width(), region.height()));
      return crop.render(part, window.translate(region.x(), region.y()), context);
    }

    Image image;
    if (decoder != JpegDecoder.IMAGE_IO && grayOrYcc) {
      if (!header.hasEnd(bytes)) {
        throw new MalformedImageException("truncated or corrupt jpeg data (no end-of-image marker)");
      }
      image = Grayscale.toChannels(decoder.codec().decode(bytes, reduction), channels);
    } else {
      image = reduce(ImageIoDecoding.jpeg(bytes, header, channels, whole), reduction);
    }
    image = ExifOrientation.apply(image, orientation);
    int shownWidth = header.shownWidth(exifOrientation);
    int shownHeight = header.shownHeight(exifOrientation);
    if (image.width() != shownWidth || image.height() != shownHeight) {
      // decoded reduced: boxes and masks refer to the full-size image, of which this is a resize
      image = image.withGeometry(ImageGeometry.identity(shownWidth, shownHeight)
          .window(new Window(0, 0, shownWidth, shownHeight), image.width(), image.height()));
    }
    return crop == null ? image : crop.apply(image, context);
  }

  /** {@code region} decoded by the chosen decoder's codec, which decodes windows. */
  private Image codecWindow(byte[] bytes, JpegHeader header, Window region) throws IOException {
    Image rgb = decoder.codec().decodeWindow(bytes, region.x(), region.y(), region.width(), region.height());
    if (region.y() + region.height() < header.height && !header.hasEnd(bytes)) {
      // decoding stopped before the end, so a truncation below the region raised no warning
      throw new MalformedImageException("truncated or corrupt jpeg data (no end-of-image marker)");
    }
    return Grayscale.toChannels(rgb, channels);
  }

  /** The part of {@code window} inside the image, or the whole image if they do not meet. */
  private static Window region(Window window, int width, int height) {
    int left = Math.max(0, window.x());
    int top = Math.max(0, window.y());
    int right = Math.min(width, window.x() + window.width());
    int bottom = Math.min(height, window.y() + window.height());
    if (right <= left || bottom <= top) {
      return new Window(0, 0, width, height);
    }
    return new Window(left, top, right - left, bottom - top);
  }

  /** The largest reduction (8, 4 or 2) that keeps the minimum size, or 1. */
  private int reduction(int width, int height) {
    if (minWidth == 0) {
      return 1;
    }
    for (int n : REDUCTIONS) {
      if (ceilDiv(width, n) >= minWidth && ceilDiv(height, n) >= minHeight) {
        return n;
      }
    }
    return 1;
  }

  /** The image reduced to satisfy the minimum size, by block averaging. */
  private Image reduce(Image image) {
    return reduce(image, reduction(image.width(), image.height()));
  }

  private static Image reduce(Image image, int reduction) {
    if (reduction == 1) {
      return image;
    }
    // boxes and masks refer to the full-size image: the reduced one is a resize of it
    Image reduced = Resampler.reduce(image, reduction);
    return reduced.withGeometry(image.geometry().window(Window.whole(image), reduced.width(), reduced.height()));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * The width and height a PNG, GIF or BMP header declares (for a GIF, its logical screen), or null if the
   * header is too short to say. javax.imageio checks the first image's own size again before decoding.
   */
  private static long[] declaredSize(String format, byte[] b) {
    switch (format) {
      case "png":
        if (b.length >= 24) {
          return new long[] {u32be(b, 16), u32be(b, 20)};
        }
        return null;
      case "gif":
        if (b.length >= 10) {
          return new long[] {(b[6] & 0xFF) | (b[7] & 0xFF) << 8, (b[8] & 0xFF) | (b[9] & 0xFF) << 8};
        }
        return null;
      case "bmp":
        int header = (int) u32le(b, 14);
        if (header == 12 && b.length >= 22) {
          return new long[] {(b[18] & 0xFF) | (b[19] & 0xFF) << 8, (b[20] & 0xFF) | (b[21] & 0xFF) << 8};
        }
        if (b.length >= 26) {
          // Signed: a negative height means rows stored top down.
          return new long[] {Math.abs((long) (int) u32le(b, 18)), Math.abs((long) (int) u32le(b, 22))};
        }
        return null;
      default:
        return null;
    }
  }

  private static long u32be(byte[] b, int p) {
    return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
  }

  private static long u32le(byte[] b, int p) {
    return (b[p + 3] & 0xFFL) << 24 | (b[p + 2] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p] & 0xFF);
  }

  /** "jpeg", "png", "gif" or "bmp" from the signature, or null. */
  private static String format(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
      return "jpeg";
    }
    if (startsWith(bytes, PNG_SIGNATURE)) {
      return "png";
    }
    if (bytes.length >= 6 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == '8'
        && (bytes[4] == '7' || bytes[4] == '9') && bytes[5] == 'a') {
      return "gif";
    }
    if (bytes.length >= 18 && bytes[0] == 'B' && bytes[1] == 'M') {
      int header = (bytes[14] & 0xFF) | (bytes[15] & 0xFF) << 8 | (bytes[16] & 0xFF) << 16 | (bytes[17] & 0xFF) << 24;
      if (header == 12 || header == 40 || header == 52 || header == 56 || header == 64 || header == 108
          || header == 124) {
        return "bmp";
      }
    }
    return null;
  }

  private static SluiceException failure(String key, String reason, Throwable cause) {
    return new SluiceException("cannot decode " + key + ": " + reason, key, false, cause);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The first few bytes in hex, e.g. {@code "ff d8 00 01 02 03 04 05 .."}. */
  private static String firstBytes(byte[] bytes) {
    int shown = Math.min(bytes.length, SHOWN_BYTES);
    String hex = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, shown);
    return shown < bytes.length ? hex + " .." : hex;
  }

  /** The exception's message, with its cause's when that adds something. */
  private static String describe(Throwable e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    Throwable cause = e.getCause();
    if (cause != null && cause != e && !message.contains(String.valueOf(cause.getMessage()))) {
      message += " (" + cause + ")";
    }
    return message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Decode d && channels == d.channels && maxPixels == d.maxPixels
        && exifOrientation == d.exifOrientation && decoder == d.decoder && minWidth == d.minWidth
        && minHeight == d.minHeight;
  }

  @Override
  public int hashCode() {
    return Objects.hash(channels, maxPixels, exifOrientation, decoder, minWidth, minHeight);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("decode(").append(channels).append(channels == 1 ? " channel" : " channels");
    if (maxPixels != Images.DEFAULT_MAX_PIXELS) {
      s.append(", at most ").append(maxPixels).append(" pixels");
    }
    if (decoder != JpegDecoder.defaultDecoder()) {
      s.append(", jpeg by ").append(decoder);
    }
    if (exifOrientation) {
      s.append(", exif orientation");
    }
    if (minWidth > 0) {
      s.append(", at least ").append(minWidth).append('x').append(minHeight);
    }
    return s.append(')').toString();
  }
}
