package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static io.sluice.transforms.TestImages.context;
import static io.sluice.transforms.TestImages.image;
import static io.sluice.transforms.TestImages.noise;
import static io.sluice.transforms.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import org.junit.jupiter.api.Test;

/**
 * Flips and pads are exact (checked by hand and against {@code cv::flip}); brightness and contrast are
 * checked against their formulas computed in double precision, within 1 level (the steps compute in float).
 */
class FlipPadJitterTest {
  private static final Image RGB = image(3, 2, 3,
      1, 2, 3, /**/ 4, 5, 6, /**/ 7, 8, 9,
      11, 12, 13, /**/ 14, 15, 16, /**/ 17, 18, 19);

  @Test
  void horizontalFlipMirrorsEachRow() {
    assertArrayEquals(new int[] {
        7, 8, 9, /**/ 4, 5, 6, /**/ 1, 2, 3,
        17, 18, 19, /**/ 14, 15, 16, /**/ 11, 12, 13,
    }, samples(Images.horizontalFlip(1).apply(RGB, CONTEXT)));
    assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4},
        samples(Images.horizontalFlip(1).apply(image(3, 2, 1, 1, 2, 3, 4, 5, 6), CONTEXT)));
  }

  @Test
  void verticalFlipMirrorsTheRows() {
    assertArrayEquals(new int[] {
        11, 12, 13, /**/ 14, 15, 16, /**/ 17, 18, 19,
        1, 2, 3, /**/ 4, 5, 6, /**/ 7, 8, 9,
    }, samples(Images.verticalFlip(1).apply(RGB, CONTEXT)));
  }

  @Test
  void flipsMatchOpenCv() {
    for (int channels : new int[] {1, 3}) {
      Image src = noise(channels, 37, 19, channels);
      assertEquals(OpenCvReference.flip(src, 1), Images.horizontalFlip(1).apply(src, CONTEXT));
      assertEquals(OpenCvReference.flip(src, 0), Images.verticalFlip(1).apply(src, CONTEXT));
    }
  }

  @Test
  void flipProbabilityDrawsOnceAndFlipsBelowP() {
    int flipped = 0;
    for (int sample = 0; sample < 2000; sample++) {
      SampleContext context = context(4, sample);
      boolean expected = context(4, sample).random().nextDouble() < 0.3;
      Image out = Images.horizontalFlip(0.3).apply(RGB, context);
      assertEquals(expected, !out.equals(RGB), "sample " + sample);
      flipped += expected ? 1 : 0;
    }
    // Binomial(2000, 0.3): mean 600, standard deviation 20.5; 5 deviations either way.
    assertTrue(flipped > 497 && flipped < 703, "flipped " + flipped);
  }

  @Test
  void certainFlipsDrawNothing() {
    SampleContext context = context(4, 1);
    Images.horizontalFlip(1).apply(RGB, context);
    assertSame(RGB, Images.verticalFlip(0).apply(RGB, context));
    assertEquals(context(4, 1).random().nextLong(), context.random().nextLong());
  }

  @Test
  void padSurroundsWithTheFill() {
    Image gray = image(2, 1, 1, 5, 6);
    assertArrayEquals(new int[] {
        9, 9, 9, 9, 9,
        9, 5, 6, 9, 9,
        9, 9, 9, 9, 9,
        9, 9, 9, 9, 9,
    }, samples(Images.pad(1, 1, 2, 2, 9).apply(gray, CONTEXT)));
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 5, 6, 0, 0, 0, 0, 0},
        samples(Images.pad(1).apply(gray, CONTEXT)));
    assertEquals(RGB, Images.pad(0).apply(RGB, CONTEXT));
    Image rgb = Images.pad(0, 0, 1, 0, 200).apply(RGB, CONTEXT);
    assertArrayEquals(new int[] {
        1, 2, 3, /**/ 4, 5, 6, /**/ 7, 8, 9, /**/ 200, 200, 200,
        11, 12, 13, /**/ 14, 15, 16, /**/ 17, 18, 19, /**/ 200, 200, 200,
    }, samples(rgb));
  }

  @Test
  void brightnessScalesBySomeFactorInItsRange() {
    Image src = noise(7, 16, 16, 3);
    for (int sample = 0; sample < 50; sample++) {
      double u = context(2, sample).random().nextDouble();
      double factor = 0.6 + 0.8 * u; // [1 - 0.4, 1 + 0.4)
      Image out = Images.brightness(0.4f).apply(src, context(2, sample));
      for (int i = 0; i < src.pixels().length; i++) {
        double expected = Math.min(255, Math.round((src.pixels()[i] & 0xFF) * factor));
        assertTrue(Math.abs(expected - (out.pixels()[i] & 0xFF)) <= 1, "sample " + sample + " index " + i);
      }
    }
  }

  @Test
  void contrastBlendsWithTheMeanLuma() {
    Image src = noise(8, 16, 8, 3);
    double mean = 0;
    for (int i = 0; i < src.pixels().length; i += 3) {
      mean += 0.299 * (src.pixels()[i] & 0xFF) + 0.587 * (src.pixels()[i + 1] & 0xFF)
          + 0.114 * (src.pixels()[i + 2] & 0xFF);
    }
    mean /= 16 * 8;
    for (int sample = 0; sample < 50; sample++) {
      double factor = 0.5 + 1.0 * context(3, sample).random().nextDouble(); // [1 - 0.5, 1 + 0.5)
      Image out = Images.contrast(0.5f).apply(src, context(3, sample));
      for (int i = 0; i < src.pixels().length; i++) {
        double expected = Math.max(0, Math.min(255, Math.round(factor * (src.pixels()[i] & 0xFF) + (1 - factor) * mean)));
        assertTrue(Math.abs(expected - (out.pixels()[i] & 0xFF)) <= 1, "sample " + sample + " index " + i);
      }
    }
  }

  @Test
  void jitterOfAFlatGrayImageKeepsItFlatAndContrastKeepsIt() {
    byte[] flat = new byte[4 * 4];
    java.util.Arrays.fill(flat, (byte) 100);
    Image gray = new Image(4, 4, 1, flat);
    // Contrast of a flat image: the mean is the value, so nothing changes.
    assertEquals(gray, Images.contrast(0.9f).apply(gray, context(1, 1)));
    Image brighter = Images.brightness(0.9f).apply(gray, context(1, 1));
    for (byte b : brighter.pixels()) {
      assertEquals(brighter.pixels()[0], b);
    }
  }

  @Test
  void zeroJitterIsTheIdentityAndDrawsNothing() {
    SampleContext context = context(1, 2);
    assertSame(RGB, Images.brightness(0).apply(RGB, context));
    assertSame(RGB, Images.contrast(0).apply(RGB, context));
    assertEquals(context(1, 2).random().nextLong(), context.random().nextLong());
  }

  @Test
  void grayscaleWithThreeChannelsRepeatsTheLuma() {
    Image out = Images.grayscale(3).apply(image(1, 1, 3, 255, 0, 0), CONTEXT);
    assertArrayEquals(new int[] {76, 76, 76}, samples(out));
    assertArrayEquals(new int[] {7, 7, 7}, samples(Images.grayscale(3).apply(image(1, 1, 1, 7), CONTEXT)));
    assertSame(Images.grayscale(), Images.grayscale(1));
    assertEquals("grayscale(3 channels)", Images.grayscale(3).toString());
    assertEquals("grayscale channels must be 1 or 3: 2",
        assertThrows(IllegalArgumentException.class, () -> Images.grayscale(2)).getMessage());
  }

  @Test
  void stepsAreValuesAndValidate() {
    assertEquals("horizontalFlip(p=0.5)", Images.horizontalFlip(0.5).toString());
    assertEquals("verticalFlip(p=1.0)", Images.verticalFlip(1).toString());
    assertEquals(Images.horizontalFlip(0.5), Images.horizontalFlip(0.5));
    assertNotEquals(Images.horizontalFlip(0.5), Images.verticalFlip(0.5));
    assertEquals("brightness(0.4)", Images.brightness(0.4f).toString());
    assertEquals("contrast(0.4)", Images.contrast(0.4f).toString());
    assertNotEquals(Images.brightness(0.4f), Images.contrast(0.4f));
    assertEquals("pad(left=1, top=2, right=3, bottom=4, fill=5)", Images.pad(1, 2, 3, 4, 5).toString());
    assertEquals(Images.pad(2), Images.pad(2, 2, 2, 2, 0));
    assertEquals("flip probability must be between 0 and 1: 1.5",
        assertThrows(IllegalArgumentException.class, () -> Images.horizontalFlip(1.5)).getMessage());
    assertEquals("brightness amount must be finite and not negative: -0.1",
        assertThrows(IllegalArgumentException.class, () -> Images.brightness(-0.1f)).getMessage());
    assertEquals("pad fill must be between 0 and 255: 256",
        assertThrows(IllegalArgumentException.class, () -> Images.pad(1, 1, 1, 1, 256)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Images.pad(-1));
  }

  @Test
  void padRefusesResultsTooLargeNamingTheKey() {
    Transform<Image, Image> pad = Images.pad(0, 0, 60_000, 60_000, 0);
    SluiceException e = assertThrows(SluiceException.class, () -> pad.apply(RGB, CONTEXT));
    assertTrue(e.getMessage().contains(KEY));
  }
}
