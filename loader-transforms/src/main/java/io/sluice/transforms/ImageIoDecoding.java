package io.sluice.transforms;

import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import javax.imageio.ImageReadParam;

/** Decoding through javax.imageio, with fast paths for gray, YCbCr and RGB JPEGs. */
final class ImageIoDecoding {
  private static final int[] RGB_OFFSETS = {0, 1, 2};
  private static final ColorModel RGB = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false,
      false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

  private ImageIoDecoding() {}

  /**
   * Decodes {@code region} of a JPEG into an image with {@code channels} channels, reading its color space
   * as libjpeg does ({@link JpegHeader#colorSpace()}).
   *
   * <p>Marked YCbCr JPEGs without a color profile, the usual kind, are decoded by javax.imageio straight into
   * an RGB array that becomes the image (libjpeg converts to RGB; no copy follows). Other YCbCr JPEGs (with a
   * profile, which javax.imageio would apply, or unmarked, which it may take for RGB), and gray and RGB ones,
   * are read as stored and YCbCr converted here with libjpeg's arithmetic. Four-component and other JPEGs are
   * decoded whole by {@link #read} and the region copied. javax.imageio stops decoding after the region's
   * last row, so a region near the top costs less; a missing end-of-image marker is then checked for apart. Where a
   * {@link JpegAccelerator} is installed, it decodes the marked YCbCr JPEGs without a profile and the gray ones
   * instead, with the same pixels.
   *
   * @throws IOException if the data is corrupt or truncated, with the reason
   */
  static Image jpeg(byte[] bytes, JpegHeader header, int channels, Window region) throws IOException {
    return jpeg(bytes, header, channels, region, JpegAccelerator.installed());
  }

  /**
   * As {@link #jpeg(byte[], JpegHeader, int, Window)}, with {@code accelerator} (or none, if null) decoding the
   * JPEGs that javax.imageio would decode straight to RGB, and gray ones.
   */
  static Image jpeg(byte[] bytes, JpegHeader header, int channels, Window region, JpegAccelerator accelerator)
      throws IOException {
    boolean whole = region.x() == 0 && region.y() == 0 && region.width() == header.width
        && region.height() == header.height;
    JpegHeader.ColorSpace space = header.colorSpace();
    boolean straightToRgb = space == JpegHeader.ColorSpace.YCBCR && header.markedYCbCr() && !header.icc;
    Image image = null;
    if (accelerator != null && (straightToRgb || space == JpegHeader.ColorSpace.GRAY)) {
      int bands = straightToRgb ? 3 : 1;
      byte[] pixels = accelerator.decode(bytes, bands, region.x(), region.y(), region.width(), region.height());
      image = pixels == null ? null : new Image(region.width(), region.height(), bands, pixels);
    }
    if (image == null && straightToRgb) {
      image = jpegRgb(bytes, region, whole);
    } else if (image == null && (space == JpegHeader.ColorSpace.GRAY || space == JpegHeader.ColorSpace.YCBCR
        || space == JpegHeader.ColorSpace.RGB)) {
      image = jpegRaster(bytes, header, region, whole, space == JpegHeader.ColorSpace.YCBCR);
    } else if (image == null) {
      Image all = read(bytes, "jpeg", 3, Long.MAX_VALUE);
      return Grayscale.toChannels(whole ? all : Crops.copy(all, region, 0), channels);
    }
    if (region.y() + region.height() < header.height && !header.hasEnd(bytes)) {
      // Decoding stopped before the end, so a truncation below the region raised no warning.
      throw new MalformedImageException("truncated or corrupt jpeg data (no end-of-image marker)");
    }
    return Grayscale.toChannels(image, channels);
  }

  /** Decodes into an interleaved RGB array, which becomes the image. */
  private static Image jpegRgb(byte[] bytes, Window region, boolean whole) throws IOException {
    ImageIoReaders.Reader reader = ImageIoReaders.get("jpeg");
    byte[] pixels = new byte[region.width() * region.height() * 3];
    try {
      reader.start(bytes);
      ImageReadParam param = reader.reader.getDefaultReadParam();
      if (!whole) {
        param.setSourceRegion(new Rectangle(region.x(), region.y(), region.width(), region.height()));
      }
      WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(pixels, pixels.length),
          region.width(), region.height(), region.width() * 3, 3, RGB_OFFSETS, null);
      param.setDestination(new BufferedImage(RGB, raster, false, null));
      reader.reader.read(0, param);
      checkWarnings(reader, "jpeg");
    } catch (RuntimeException e) {
      ImageIoReaders.discard("jpeg");
      throw new MalformedImageException("javax.imageio failed: " + e);
    } finally {
      reader.finish();
    }
    return new Image(region.width(), region.height(), 3, pixels);
  }

  /** Reads the samples as stored: gray, RGB, or YCbCr converted here. */
  private static Image jpegRaster(byte[] bytes, JpegHeader header, Window region, boolean whole, boolean ycc)
      throws IOException {
    ImageIoReaders.Reader reader = ImageIoReaders.get("jpeg");
    Raster raster;
    try {
      reader.start(bytes);
      ImageReadParam param = null;
      if (!whole) {
        param = reader.reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(region.x(), region.y(), region.width(), region.height()));
      }
      raster = reader.reader.readRaster(0, param);
      checkWarnings(reader, "jpeg");
    } catch (RuntimeException e) {
      ImageIoReaders.discard("jpeg");
      throw new MalformedImageException("javax.imageio failed: " + e);
    } finally {
      reader.finish();
    }
    int bands = raster.getNumBands();
    if (bands != header.components) {
      throw new MalformedImageException("javax.imageio returned " + bands + " bands for a " + header.components
          + "-component JPEG");
    }
    byte[] samples = samples(raster);
    if (bands == 3 && ycc) {
      YccToRgb.convert(samples, 0, samples.length);
    }
    return new Image(raster.getWidth(), raster.getHeight(), bands, samples);
  }

  private static void checkWarnings(ImageIoReaders.Reader reader, String format) throws MalformedImageException {
    if (!reader.warnings.isEmpty()) {
      throw new MalformedImageException("truncated or corrupt " + format + " data ("
          + String.join("; ", reader.warnings) + ")");
    }
  }

  /** The raster's samples as one interleaved array: its own array when laid out so, else a copy. */
  private static byte[] samples(Raster raster) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int bands = raster.getNumBands();
    if (raster.getDataBuffer() instanceof DataBufferByte buffer
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel layout
        && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
        && layout.getPixelStride() == bands && layout.getScanlineStride() == width * bands
        && buffer.getData().length == width * height * bands && inOrder(layout.getBandOffsets())) {
      return buffer.getData();
    }
    int[] all = raster.getPixels(raster.getMinX(), raster.getMinY(), width, height, (int[]) null);
    byte[] out = new byte[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = (byte) all[i];
    }
    return out;
  }

  private static boolean inOrder(int[] offsets) {
    for (int i = 0; i < offsets.length; i++) {
      if (offsets[i] != i) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decodes a whole image of any format javax.imageio reads ("jpeg", "png", "gif" first frame, "bmp") into
   * an image with {@code channels} channels. The size is read from the header and checked against
   * {@code maxPixels} before any pixel is decoded.
   *
   * <p>Four-component JPEGs are CMYK (YCCK is converted to CMYK by libjpeg); javax.imageio reports them as
   * ink amounts, which are mapped to RGB as {@code R = (255 - C) * (255 - K) / 255}, rounded, and so on:
   * the convention of Adobe's inverted CMYK JPEGs, which PIL and OpenCV follow too.
   *
   * @throws IOException if the data is corrupt or truncated, with the reason
   * @throws TooLargeException if the header declares more than {@code maxPixels} pixels
   */
  static Image read(byte[] bytes, String format, int channels, long maxPixels) throws IOException {
    ImageIoReaders.Reader reader = ImageIoReaders.get(format);
    BufferedImage image;
    try {
      reader.start(bytes);
      int width = reader.reader.getWidth(0);
      int height = reader.reader.getHeight(0);
      TooLargeException.check(width, height, maxPixels);
      image = reader.reader.read(0);
      checkWarnings(reader, format);
    } catch (RuntimeException e) {
      ImageIoReaders.discard(format);
      throw new MalformedImageException("javax.imageio failed: " + e);
    } finally {
      reader.finish();
    }
    if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK
        && image.getRaster().getNumBands() == 4) {
      return Grayscale.toChannels(inkToRgb(image.getRaster()), channels);
    }
    return RasterPixels.copy(image, channels);
  }

  /** CMYK ink amounts (0 = no ink) to RGB. */
  private static Image inkToRgb(Raster raster) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int[] cmyk = new int[width * 4];
    byte[] out = new byte[width * height * 3];
    for (int y = 0, o = 0; y < height; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, cmyk);
      for (int x = 0; x < width; x++) {
        int white = 255 - cmyk[4 * x + 3];
        for (int c = 0; c < 3; c++) {
          out[o++] = (byte) (((255 - cmyk[4 * x + c]) * white + 127) / 255);
        }
      }
    }
    return new Image(width, height, 3, out);
  }
}
