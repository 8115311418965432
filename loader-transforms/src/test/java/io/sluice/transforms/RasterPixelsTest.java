package io.sluice.transforms;

import static io.sluice.transforms.TestImages.fillRgb;
import static io.sluice.transforms.TestImages.fillSamples;
import static io.sluice.transforms.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of raster the copy reads, fast path or not, gives the same samples. Exact: the colors are
 * ones every type holds without loss.
 */
class RasterPixelsTest {
  /** 3x2 pixels, as R, G, B triples. */
  private static final int[] RGB = {
      255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255,
      0, 0, 0, /**/ 255, 255, 0, /**/ 255, 255, 255,
  };
  /** Their BT.601 lumas: 76.245, 149.685, 29.07, 0, 225.93, 255. */
  private static final int[] LUMA = {76, 150, 29, 0, 226, 255};

  @ParameterizedTest
  @ValueSource(ints = {
      BufferedImage.TYPE_INT_RGB, // packed fast path
      BufferedImage.TYPE_INT_ARGB,
      BufferedImage.TYPE_INT_BGR,
      BufferedImage.TYPE_3BYTE_BGR, // component fast path
      BufferedImage.TYPE_4BYTE_ABGR,
      BufferedImage.TYPE_INT_ARGB_PRE, // premultiplied: generic path
      BufferedImage.TYPE_4BYTE_ABGR_PRE,
      BufferedImage.TYPE_USHORT_565_RGB, // 5-6-5 bits: generic path
      BufferedImage.TYPE_BYTE_INDEXED, // palette path (the default palette holds these colors)
  })
  void everyRgbTypeGivesTheSameSamples(int type) {
    BufferedImage image = new BufferedImage(3, 2, type);
    fillRgb(image, RGB);
    assertArrayEquals(RGB, samples(RasterPixels.copy(image, 3)), "type " + type);
    assertArrayEquals(LUMA, samples(RasterPixels.copy(image, 1)), "type " + type);
  }

  @Test
  void grayIsTakenAsStored() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    fillSamples(image, 128, 30);
    assertArrayEquals(new int[] {128, 30}, samples(RasterPixels.copy(image, 1)));
    assertArrayEquals(new int[] {128, 128, 128, 30, 30, 30}, samples(RasterPixels.copy(image, 3)));
    // What the fast path avoids: Java treats 8-bit gray as linear and brightens it on the way to sRGB.
    assertNotEquals(128, image.getRGB(0, 0) & 0xFF);
  }

  @Test
  void subimagesAreReadAtTheirOffset() {
    int[] big = new int[5 * 4 * 3];
    for (int i = 0; i < big.length; i++) {
      big[i] = i * 4;
    }
    int[] expected = new int[3 * 2 * 3]; // columns 1..3 of rows 1..2
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 3; c++) {
          expected[(y * 3 + x) * 3 + c] = big[((y + 1) * 5 + x + 1) * 3 + c];
        }
      }
    }
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB}) {
      BufferedImage image = new BufferedImage(5, 4, type);
      fillRgb(image, big);
      BufferedImage sub = image.getSubimage(1, 1, 3, 2);
      assertNotEquals(0, sub.getRaster().getSampleModelTranslateX());
      assertArrayEquals(expected, samples(RasterPixels.copy(sub, 3)), "type " + type);
    }

    BufferedImage gray = new BufferedImage(3, 3, BufferedImage.TYPE_USHORT_GRAY);
    fillSamples(gray, 0, 257, 514, 771, 1028, 1285, 1542, 1799, 2056);
    assertArrayEquals(new int[] {4, 5, 7, 8}, samples(RasterPixels.copy(gray.getSubimage(1, 1, 2, 2), 1)));
  }

  @Test
  void bandedRasters() {
    ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    WritableRaster raster = Raster.createBandedRaster(DataBuffer.TYPE_BYTE, 3, 2, 3, null);
    BufferedImage image = new BufferedImage(model, raster, false, null);
    for (int i = 0; i < 6; i++) {
      raster.setPixel(i % 3, i / 3, new int[] {RGB[3 * i], RGB[3 * i + 1], RGB[3 * i + 2]});
    }
    assertEquals(3, raster.getDataBuffer().getNumBanks());
    assertArrayEquals(RGB, samples(RasterPixels.copy(image, 3)));
    assertArrayEquals(LUMA, samples(RasterPixels.copy(image, 1)));
  }

  @Test
  void paletteIndicesPastTheEndReadAsBlack() {
    byte[] levels = {10, 20, 30};
    IndexColorModel palette = new IndexColorModel(2, 3, levels, levels, levels);
    BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
    fillSamples(image, 0, 1, 2, 3);
    assertArrayEquals(new int[] {10, 20, 30, 0}, samples(RasterPixels.copy(image, 1)));
  }
}
