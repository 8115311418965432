package io.sluice.transforms;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Copies the pixels of a decoded {@link BufferedImage} into an {@link Image} with 1 or 3 channels.
 *
 * <p>Samples are taken as stored, without color management: gray stays gray (Java's own conversion would
 * treat 8-bit gray as linear and brighten it), embedded color profiles are ignored, 16-bit samples are
 * rounded to 8 bits ({@code round(v / 257)}) and alpha is dropped. Rows are read straight from the data
 * buffer for interleaved or banded 8- and 16-bit components (JPEG, and PNG gray, RGB, with or without
 * alpha: {@code TYPE_BYTE_GRAY}, {@code TYPE_3BYTE_BGR}, {@code TYPE_4BYTE_ABGR}, {@code TYPE_USHORT_GRAY}
 * ...), for packed 8-bit RGB ints ({@code TYPE_INT_RGB}, {@code TYPE_INT_ARGB}, {@code TYPE_INT_BGR}) and
 * for palettes of any depth; anything else goes through {@link BufferedImage#getRGB}.
 */
final class RasterPixels {
  private RasterPixels() {}

  /** Fills a row with the 8-bit color samples of one image row: gray, or R, G, B per pixel. */
  private interface RowSource {
    void read(int y, int[] row);
  }

  /**
   * Copies {@code image} as an image with {@code channels} channels: gray is replicated to RGB and RGB
   * reduced to BT.601 luma as needed.
   */
  static Image copy(BufferedImage image, int channels) {
    int width = image.getWidth();
    int height = image.getHeight();
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    RowSource source = null;
    if (model instanceof ComponentColorModel) {
      source = components(raster, model);
    } else if (model instanceof IndexColorModel palette) {
      source = palette(raster, palette);
    } else if (model instanceof DirectColorModel direct) {
      source = packed(raster, direct);
    }
    // A fast source gives the model's color components (1 for gray, 3 for RGB); getRGB always gives 3.
    int colors = source != null ? model.getNumColorComponents() : 3;
    if (source == null) {
      source = generic(image);
    }

    byte[] out = new byte[width * height * channels];
    int[] row = new int[width * colors];
    for (int y = 0, o = 0; y < height; y++, o += width * channels) {
      source.read(y, row);
      if (colors == 1 && channels == 1) {
        for (int x = 0; x < width; x++) {
          out[o + x] = (byte) row[x];
        }
      } else if (colors == 1) {
        for (int x = 0, j = o; x < width; x++, j += 3) {
          byte v = (byte) row[x];
          out[j] = v;
          out[j + 1] = v;
          out[j + 2] = v;
        }
      } else if (channels == 3) {
        for (int i = 0; i < row.length; i++) {
          out[o + i] = (byte) row[i];
        }
      } else {
        for (int x = 0, i = 0; x < width; x++, i += 3) {
          out[o + x] = (byte) Grayscale.luma(row[i], row[i + 1], row[i + 2]);
        }
      }
    }
    return new Image(width, height, channels, out);
  }

  /**
   * Reads 8- or 16-bit gray or RGB components straight from the data buffer, or returns null if the
   * raster is not of that kind.
   */
  private static RowSource components(Raster raster, ColorModel model) {
    int colorSpace = model.getColorSpace().getType();
    int colors = model.getNumColorComponents();
    boolean grayOrRgb = (colorSpace == ColorSpace.TYPE_GRAY && colors == 1)
        || (colorSpace == ColorSpace.TYPE_RGB && colors == 3);
    if (!grayOrRgb || model.isAlphaPremultiplied()
        || !(raster.getSampleModel() instanceof ComponentSampleModel layout)) {
      return null;
    }
    DataBuffer buffer = raster.getDataBuffer();
    int bits = switch (buffer.getDataType()) {
      case DataBuffer.TYPE_BYTE -> 8;
      case DataBuffer.TYPE_USHORT -> 16;
      default -> 0;
    };
    for (int b = 0; b < colors; b++) {
      if (model.getComponentSize(b) != bits) {
        return null;
      }
    }
    int width = raster.getWidth();
    int pixelStride = layout.getPixelStride();
    int scanlineStride = layout.getScanlineStride();
    // Array index of band b at pixel (0, 0) of the raster; pixel (x, y) adds y * scanline + x * pixel.
    int[] start = new int[colors];
    int[] bank = new int[colors];
    for (int b = 0; b < colors; b++) {
      bank[b] = layout.getBankIndices()[b];
      start[b] = buffer.getOffsets()[bank[b]] + layout.getBandOffsets()[b]
          - raster.getSampleModelTranslateY() * scanlineStride
          - raster.getSampleModelTranslateX() * pixelStride;
    }
    if (buffer instanceof DataBufferByte bytes) {
      byte[][] data = new byte[colors][];
      for (int b = 0; b < colors; b++) {
        data[b] = bytes.getData(bank[b]);
      }
      return (y, row) -> {
        for (int b = 0; b < colors; b++) {
          byte[] d = data[b];
          for (int x = 0, i = start[b] + y * scanlineStride; x < width; x++, i += pixelStride) {
            row[x * colors + b] = d[i] & 0xFF;
          }
        }
      };
    }
    if (buffer instanceof DataBufferUShort shorts) {
      short[][] data = new short[colors][];
      for (int b = 0; b < colors; b++) {
        data[b] = shorts.getData(bank[b]);
      }
      return (y, row) -> {
        for (int b = 0; b < colors; b++) {
          short[] d = data[b];
          for (int x = 0, i = start[b] + y * scanlineStride; x < width; x++, i += pixelStride) {
            row[x * colors + b] = ((d[i] & 0xFFFF) + 128) / 257;
          }
        }
      };
    }
    return null;
  }

  /** Looks palette indices of any depth up in the palette. */
  private static RowSource palette(Raster raster, IndexColorModel palette) {
    // Indices past the end of a short palette read as black rather than failing.
    int size = Math.max(palette.getMapSize(), 1 << Math.min(palette.getPixelSize(), 16));
    byte[] reds = new byte[size];
    byte[] greens = new byte[size];
    byte[] blues = new byte[size];
    palette.getReds(reds);
    palette.getGreens(greens);
    palette.getBlues(blues);
    int width = raster.getWidth();
    int[] indices = new int[width];
    return (y, row) -> {
      raster.getSamples(0, y, width, 1, 0, indices);
      for (int x = 0, i = 0; x < width; x++, i += 3) {
        int index = indices[x];
        row[i] = reds[index] & 0xFF;
        row[i + 1] = greens[index] & 0xFF;
        row[i + 2] = blues[index] & 0xFF;
      }
    };
  }

  /**
   * Unpacks 8-bit RGB from one int per pixel straight from the data buffer, or returns null if the raster
   * is not of that kind.
   */
  private static RowSource packed(Raster raster, DirectColorModel model) {
    if (model.isAlphaPremultiplied()
        || !(raster.getDataBuffer() instanceof DataBufferInt ints)
        || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel layout)) {
      return null;
    }
    int redShift = byteShift(model.getRedMask());
    int greenShift = byteShift(model.getGreenMask());
    int blueShift = byteShift(model.getBlueMask());
    if (redShift < 0 || greenShift < 0 || blueShift < 0) {
      return null;
    }
    int[] data = ints.getData();
    int width = raster.getWidth();
    int scanlineStride = layout.getScanlineStride();
    int start = ints.getOffset()
        - raster.getSampleModelTranslateY() * scanlineStride
        - raster.getSampleModelTranslateX();
    return (y, row) -> {
      for (int x = 0, i = start + y * scanlineStride, j = 0; x < width; x++, i++, j += 3) {
        int pixel = data[i];
        row[j] = (pixel >>> redShift) & 0xFF;
        row[j + 1] = (pixel >>> greenShift) & 0xFF;
        row[j + 2] = (pixel >>> blueShift) & 0xFF;
      }
    };
  }

  /** The shift of an 8-bit-wide mask, or -1 if the mask is not 8 contiguous bits. */
  private static int byteShift(int mask) {
    int shift = Integer.numberOfTrailingZeros(mask);
    return mask != 0 && mask >>> shift == 0xFF ? shift : -1;
  }

  /** Converts through the image's color model to sRGB, for any kind of raster. */
  private static RowSource generic(BufferedImage image) {
    int width = image.getWidth();
    int[] argb = new int[width];
    return (y, row) -> {
      image.getRGB(0, y, width, 1, argb, 0, width);
      for (int x = 0, j = 0; x < width; x++, j += 3) {
        int pixel = argb[x];
        row[j] = (pixel >>> 16) & 0xFF;
        row[j + 1] = (pixel >>> 8) & 0xFF;
        row[j + 2] = pixel & 0xFF;
      }
    };
  }
}
