package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.image;
import static io.sluice.transforms.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Exact: every expected sample is worked out by hand below from src = (dst + 0.5) * scale - 0.5, clamped.
 * Most weights are multiples of 1/4, so float arithmetic is exact and only the final rounding (half up)
 * matters; the others (tenths) give results far from a rounding boundary.
 */
class ResizeTest {

  @Test
  void upscalesTwoByTwoToFourByFour() {
    // Scale 1/2: dst 0 -> src -0.25, clamped to 0; dst 1 -> 0.25; dst 2 -> 0.75; dst 3 -> 1.25, clamped to 1.
    // So columns (and rows) blend source 0 and 1 with weights of the second 0, 1/4, 3/4, 1.
    Image src = image(2, 2, 1,
        0, 102,
        200, 60);
    Image dst = Images.resize(4, 4).apply(src, CONTEXT);
    // Top row across:    0, 25.5, 76.5, 102  (0 + 102/4 = 25.5 and 0 + 102*3/4 = 76.5)
    // Bottom row across: 200, 165, 95, 60    (200 - 140/4 and 200 - 140*3/4)
    // Row 1 = top + (bottom - top) / 4: 50, 60.375, 81.125, 91.5
    // Row 2 = top + (bottom - top) * 3/4: 150, 130.125, 90.375, 70.5
    assertArrayEquals(new int[] {
        0, 26, 77, 102,
        50, 60, 81, 92,
        150, 130, 90, 71,
        200, 165, 95, 60,
    }, samples(dst));
  }

  @Test
  void downscalesFourByFourToTwoByTwoPerChannel() {
    // Scale 2: dst 0 -> src 0.5, dst 1 -> src 2.5, so each output is the mean of one 2x2 block.
    // Channel 0 counts up, channel 1 is 255 minus channel 0, channel 2 is constant.
    int[] channel0 = {
        10, 20, 30, 40,
        50, 60, 70, 80,
        90, 100, 110, 120,
        130, 140, 150, 162,
    };
    int[] hwc = new int[16 * 3];
    for (int i = 0; i < 16; i++) {
      hwc[3 * i] = channel0[i];
      hwc[3 * i + 1] = 255 - channel0[i];
      hwc[3 * i + 2] = 7;
    }
    Image dst = Images.resize(2, 2).apply(image(4, 4, 3, hwc), CONTEXT);
    assertEquals(2, dst.width());
    assertEquals(2, dst.height());
    assertEquals(3, dst.channels());
    assertArrayEquals(new int[] {
        // (10+20+50+60)/4 = 35; (245+235+205+195)/4 = 220
        35, 220, 7,
        // (30+40+70+80)/4 = 55; (225+215+185+175)/4 = 200
        55, 200, 7,
        // (90+100+130+140)/4 = 115; (165+155+125+115)/4 = 140
        115, 140, 7,
        // (110+120+150+162)/4 = 135.5 rounds up to 136; (145+135+105+93)/4 = 119.5 rounds up to 120
        136, 120, 7,
    }, samples(dst));
  }

  @Test
  void handlesUnevenRatiosAndSingleRows() {
    // 3 -> 2 columns, scale 1.5: dst 0 -> src 0.25, dst 1 -> src 1.75. 1 -> 1 row: weights 0.
    Image dst = Images.resize(2, 1).apply(image(3, 1, 1, 0, 100, 200), CONTEXT);
    assertArrayEquals(new int[] {25, 175}, samples(dst));
    // 3 -> 5 rows, scale 0.6: dst 0 -> -0.2 (clamped to 0), 1 -> 0.4, 2 -> 1, 3 -> 1.6, 4 -> 2.2 (clamped to 2).
    Image tall = Images.resize(1, 5).apply(image(1, 3, 1, 0, 100, 250), CONTEXT);
    // 0, 0 + 100 * 0.4 = 40, 100, 100 + 150 * 0.6 = 190, 250
    assertArrayEquals(new int[] {0, 40, 100, 190, 250}, samples(tall));
  }

  @Test
  void singlePixelFillsTheOutput() {
    Image dst = Images.resize(3, 2).apply(image(1, 1, 3, 9, 8, 7), CONTEXT);
    int[] expected = new int[3 * 2 * 3];
    for (int i = 0; i < expected.length; i += 3) {
      expected[i] = 9;
      expected[i + 1] = 8;
      expected[i + 2] = 7;
    }
    assertArrayEquals(expected, samples(dst));
  }

  @Test
  void sameSizeReturnsTheSamePixels() {
    Image src = image(3, 2, 1, 1, 2, 3, 4, 5, 6);
    Image dst = Images.resize(3, 2).apply(src, CONTEXT);
    assertSame(src, dst);
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, samples(dst));
  }

  @Test
  void downThenUpOfAFlatImageStaysFlat() {
    int[] flat = new int[7 * 5 * 3];
    Arrays.fill(flat, 123);
    Image out = Images.resize(3, 2).andThen(Images.resize(11, 13)).apply(image(7, 5, 3, flat), CONTEXT);
    int[] expected = new int[11 * 13 * 3];
    Arrays.fill(expected, 123);
    assertArrayEquals(expected, samples(out));
  }

  @Test
  void isAValueWithAReadableName() {
    assertEquals("resize(32x24, bilinear)", Images.resize(32, 24).toString());
    assertEquals(Images.resize(32, 24), Images.resize(32, 24));
    assertEquals(Images.resize(32, 24).hashCode(), Images.resize(32, 24).hashCode());
    assertNotEquals(Images.resize(32, 24), Images.resize(24, 32));
  }

  @Test
  void rejectsBadSizesNamingThem() {
    assertEquals("resize dimensions must be positive: 0x5",
        assertThrows(IllegalArgumentException.class, () -> Images.resize(0, 5)).getMessage());
    assertEquals("resize dimensions must be positive: 5x-2",
        assertThrows(IllegalArgumentException.class, () -> Images.resize(5, -2)).getMessage());
    assertEquals("resize dimensions are too large for an image: 100000x100000",
        assertThrows(IllegalArgumentException.class, () -> Images.resize(100_000, 100_000)).getMessage());
  }
}
