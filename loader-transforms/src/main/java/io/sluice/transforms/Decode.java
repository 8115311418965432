package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The step behind {@link Images#decode(int, long)}: JPEG or PNG bytes to an 8-bit image through
 * {@code javax.imageio}.
 *
 * <p>The format is recognised by its signature, never by the key's extension. The header is read first
 * and an image with more than the allowed number of pixels is rejected before its pixels are decoded. A
 * decoder warning (a truncated or corrupt JPEG still decodes, with the missing part filled in) makes the
 * decode fail, so a damaged object is never silently trained on.
 */
final class Decode implements Transform<StoredObject, Image> {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  private static final int SHOWN_BYTES = 8;

  private final int channels;
  private final long maxPixels;

  Decode(int channels, long maxPixels) {
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
  }

  @Override
  public Image apply(StoredObject object, SampleContext context) {
    String key = object.uri();
    byte[] bytes = object.bytes();
    if (bytes.length == 0) {
      throw failure(key, "the object is empty (0 bytes)", null);
    }
    String format = startsWith(bytes, PNG_SIGNATURE) ? "png" : startsWith(bytes, JPEG_SIGNATURE) ? "jpeg" : null;
    if (format == null) {
      throw failure(key, "not a recognised image (first bytes " + firstBytes(bytes) + ")", null);
    }
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw failure(key, "no javax.imageio reader for " + format, null);
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      List<String> warnings = new ArrayList<>(2);
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      long pixels = (long) width * height;
      if (pixels > maxPixels) {
        throw failure(key, width + "x" + height + " is " + pixels + " pixels, more than the limit of "
            + maxPixels, null);
      }
      BufferedImage image = reader.read(0);
      if (!warnings.isEmpty()) {
        throw failure(key, "truncated or corrupt " + format + " data (" + String.join("; ", warnings) + ")",
            null);
      }
      return RasterPixels.copy(image, channels);
    } catch (SluiceException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // javax.imageio reports most damage as IIOException, but some decoders throw runtime exceptions.
      throw failure(key, "invalid " + format + ": " + describe(e), e);
    } finally {
      reader.dispose();
    }
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
    return o instanceof Decode d && channels == d.channels && maxPixels == d.maxPixels;
  }

  @Override
  public int hashCode() {
    return 31 * channels + Long.hashCode(maxPixels);
  }

  @Override
  public String toString() {
    return "decode(" + channels + (channels == 1 ? " channel" : " channels")
        + (maxPixels == Images.DEFAULT_MAX_PIXELS ? "" : ", at most " + maxPixels + " pixels") + ")";
  }
}
