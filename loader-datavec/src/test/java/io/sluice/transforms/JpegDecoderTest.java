package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static io.sluice.transforms.TestImages.jpeg;
import static io.sluice.transforms.TestImages.maxDifference;
import static io.sluice.transforms.TestImages.meanDifference;
import static io.sluice.transforms.TestImages.photo;
import static io.sluice.transforms.TestImages.resource;
import static io.sluice.transforms.TestImages.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The OpenCV decoder against javax.imageio's, and reduced-size decoding. Tolerances: full-size decodes agree
 * within {@value #FULL_SIZE_TOLERANCE} levels per sample (both use libjpeg-turbo's integer IDCT and smooth
 * chroma upsampling; builds differ in SIMD paths); DCT-domain reduction and block averaging of a full decode
 * agree within {@value #REDUCED_MEAN_TOLERANCE} levels on average.
 */
class JpegDecoderTest {
  private static final int FULL_SIZE_TOLERANCE = 2;
  private static final double REDUCED_MEAN_TOLERANCE = 2.5;

  private static final DecodeTransform OPENCV = Images.decode(3).jpegDecoder(JpegDecoder.OPENCV);

  @Test
  void openCvIsAvailableHere() {
    assertTrue(JpegDecoder.OPENCV.available());
    assertEquals("decode(3 channels, jpeg by opencv)", OPENCV.toString());
  }

  @Test
  void openCvMatchesImageIoAtFullSize() {
    for (boolean progressive : new boolean[] {false, true}) {
      byte[] bytes = jpeg(photo(21, 160, 120, 25), 0.9f, progressive);
      Image reference = Images.decode(3).apply(stored(bytes), CONTEXT);
      Image openCv = OPENCV.apply(stored(bytes), CONTEXT);
      assertTrue(maxDifference(reference, openCv) <= FULL_SIZE_TOLERANCE,
          "max difference " + maxDifference(reference, openCv));
      Image gray = Images.decode(1).jpegDecoder(JpegDecoder.OPENCV).apply(stored(bytes), CONTEXT);
      assertTrue(maxDifference(Images.decode(1).apply(stored(bytes), CONTEXT), gray) <= FULL_SIZE_TOLERANCE);
    }
  }

  @Test
  void fourComponentJpegsGoThroughImageIoWhicheverDecoder() {
    byte[] bytes = resource("cmyk-adobe.jpg");
    assertEquals(Images.decode(3).apply(stored(bytes), CONTEXT), OPENCV.apply(stored(bytes), CONTEXT));
  }

  @Test
  void reducedDecodingKeepsTheMinimumSize() {
    byte[] bytes = jpeg(photo(22, 500, 375, 25), 0.9f, false);
    // 500x375 at least 100x90: 1/4 gives 125x94 (ceil), 1/8 would give 63x47.
    for (DecodeTransform decode : new DecodeTransform[] {Images.decode(3), OPENCV}) {
      Image reduced = decode.minimumSize(100, 90).apply(stored(bytes), CONTEXT);
      assertEquals(125, reduced.width(), decode.toString());
      assertEquals(94, reduced.height(), decode.toString());
      Image half = decode.minimumSize(200, 188).apply(stored(bytes), CONTEXT);
      assertEquals(250, half.width());
      assertEquals(188, half.height());
      Image none = decode.minimumSize(300, 188).apply(stored(bytes), CONTEXT);
      assertEquals(500, none.width());
    }
    Image areaAveraged = Images.decode(3).minimumSize(100, 90).apply(stored(bytes), CONTEXT);
    Image dctScaled = OPENCV.minimumSize(100, 90).apply(stored(bytes), CONTEXT);
    double mean = meanDifference(areaAveraged, dctScaled);
    assertTrue(mean <= REDUCED_MEAN_TOLERANCE, "mean difference " + mean);
  }

  @Test
  void reducedDecodingOfOtherFormatsAveragesAreas() {
    byte[] png = TestImages.encode(photo(23, 64, 48, 0), "png");
    Image full = Images.decode(3).apply(stored(png), CONTEXT);
    Image reduced = Images.decode(3).minimumSize(16, 12).apply(stored(png), CONTEXT);
    assertEquals(16, reduced.width());
    assertEquals(12, reduced.height());
    // The size divides by 4, so the block means are the area resize.
    assertEquals(Images.resize(16, 12, Interpolation.AREA).apply(full, CONTEXT), reduced);
  }

  @Test
  void reductionAveragesBlocksIncludingPartialOnesAtTheEdges() {
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(5, 3,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    TestImages.fillSamples(image,
        0, 10, 20, 30, 41,
        50, 60, 70, 80, 90,
        100, 110, 120, 130, 140);
    Image reduced = Images.decode(1).minimumSize(3, 2).apply(stored(TestImages.encode(image, "png")), CONTEXT);
    // 5x3 by 2 gives 3x2: blocks of 2x2, 2x2, 1x2 / 2x1, 2x1, 1x1, each rounded half up.
    assertEquals(3, reduced.width());
    assertEquals(2, reduced.height());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {
        30, // (0 + 10 + 50 + 60) / 4
        50, // (20 + 30 + 70 + 80) / 4
        66, // (41 + 90) / 2 = 65.5, half up
        105, // (100 + 110) / 2
        125, // (120 + 130) / 2
        140,
    }, TestImages.samples(reduced));
  }

  @Test
  void openCvRefusesTruncatedAndCorruptJpegsNamingTheKey() {
    byte[] bytes = jpeg(photo(24, 64, 64, 25), 0.9f, false);
    SluiceException truncated = org.junit.jupiter.api.Assertions.assertThrows(SluiceException.class,
        () -> OPENCV.apply(stored(Arrays.copyOf(bytes, bytes.length / 2)), CONTEXT));
    assertEquals("cannot decode " + KEY + ": truncated or corrupt jpeg data (no end-of-image marker)",
        truncated.getMessage());
    byte[] garbage = bytes.clone();
    // Keep the markers but destroy the Huffman tables' counts.
    for (int i = 0; i + 1 < garbage.length; i++) {
      if ((garbage[i] & 0xFF) == 0xFF && (garbage[i + 1] & 0xFF) == 0xC4) {
        Arrays.fill(garbage, i + 5, i + 21, (byte) 0xFF);
      }
    }
    SluiceException corrupt = org.junit.jupiter.api.Assertions.assertThrows(SluiceException.class,
        () -> OPENCV.apply(stored(garbage), CONTEXT));
    assertTrue(corrupt.getMessage().startsWith("cannot decode " + KEY + ": "), corrupt.getMessage());
  }
}
