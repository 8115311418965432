package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.image;
import static io.sluice.transforms.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Exact: luma is an integer computation. */
class GrayscaleTest {

  @Test
  void rgbBecomesRoundedBt601Luma() {
    Image rgb = image(3, 2, 3,
        255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255,
        0, 0, 250, /**/ 200, 100, 50, /**/ 90, 90, 90);
    Image gray = Images.grayscale().apply(rgb, CONTEXT);
    assertEquals(1, gray.channels());
    assertEquals(3, gray.width());
    assertEquals(2, gray.height());
    assertArrayEquals(new int[] {
        76, // 0.299 * 255 = 76.245
        150, // 0.587 * 255 = 149.685
        29, // 0.114 * 255 = 29.07
        29, // 0.114 * 250 = 28.5, a half, rounds up
        124, // 59.8 + 58.7 + 5.7 = 124.2
        90, // gray stays itself: the weights sum to 1
    }, samples(gray));
  }

  @Test
  void grayPassesThrough() {
    Image gray = image(2, 1, 1, 7, 8);
    assertSame(gray, Images.grayscale().apply(gray, CONTEXT));
  }

  @Test
  void isOneStatelessStep() {
    assertSame(Images.grayscale(), Images.grayscale());
    assertEquals("grayscale", Images.grayscale().toString());
  }
}
