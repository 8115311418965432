package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.image;
import static io.sluice.transforms.TestImages.maxDifference;
import static io.sluice.transforms.TestImages.noise;
import static io.sluice.transforms.TestImages.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Area resizing worked out by hand (exact), both interpolations against OpenCV's {@code cv::resize} (within 1
 * level: OpenCV rounds its bilinear weights to 11-bit fixed point), and resizing by the shorter side.
 */
class ResizeAreaTest {
  private static final int OPENCV_TOLERANCE = 1;

  @Test
  void areaOfAnIntegerFactorIsTheBlockMean() {
    Image src = image(4, 2, 1,
        10, 20, 30, 41,
        50, 60, 70, 80);
    // (10 + 20 + 50 + 60) / 4 = 35; (30 + 41 + 70 + 80) / 4 = 55.25
    assertArrayEquals(new int[] {35, 55}, samples(Images.resize(2, 1, Interpolation.AREA).apply(src, CONTEXT)));
  }

  @Test
  void areaOfAFractionalFactorWeighsPartlyCoveredPixels() {
    // 3 -> 2: each output covers 1.5 inputs. Output 0 = (1 * 0 + 0.5 * 90) / 1.5 = 30;
    // output 1 = (0.5 * 90 + 1 * 240) / 1.5 = 190.
    Image src = image(3, 1, 1, 0, 90, 240);
    assertArrayEquals(new int[] {30, 190}, samples(Images.resize(2, 1, Interpolation.AREA).apply(src, CONTEXT)));
  }

  @Test
  void areaEnlargingBlendsOnlyWhereAPixelStraddlesTwo() {
    // 2 -> 3: each output covers 2/3 of an input. Output 0 within input 0; output 1 straddles: half each;
    // output 2 within input 1.
    Image src = image(2, 1, 1, 0, 201);
    assertArrayEquals(new int[] {0, 101, 201}, samples(Images.resize(3, 1, Interpolation.AREA).apply(src, CONTEXT)));
  }

  @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
  @CsvSource({"64, 48, 32, 24", "64, 48, 20, 17", "50, 37, 224, 224", "500, 375, 224, 224", "31, 29, 47, 33",
      "7, 5, 7, 5", "1, 1, 3, 2", "300, 200, 299, 199"})
  void bothInterpolationsMatchOpenCv(int srcWidth, int srcHeight, int width, int height) {
    for (int channels : new int[] {1, 3}) {
      Image src = noise(srcWidth * 31L + srcHeight + channels, srcWidth, srcHeight, channels);
      for (Interpolation interpolation : Interpolation.values()) {
        Image ours = Images.resize(width, height, interpolation).apply(src, CONTEXT);
        Image reference = OpenCvReference.resize(src, width, height, interpolation);
        int difference = maxDifference(reference, ours);
        assertTrue(difference <= OPENCV_TOLERANCE, interpolation + " " + channels + " channels: " + difference);
      }
    }
  }

  /**
   * When one axis shrinks and the other grows, OpenCV's {@code INTER_AREA} falls back to a two-tap blend on
   * both axes; ours stays the exact area mean on each axis, so it equals resizing one axis, then the other
   * (within 1 level for the intermediate rounding).
   */
  @Test
  void areaWithOneAxisShrinkingAndTheOtherGrowingIsSeparable() {
    Image src = noise(5, 31, 29, 3);
    Image direct = Images.resize(47, 13, Interpolation.AREA).apply(src, CONTEXT);
    Image twoSteps = Images.resize(47, 29, Interpolation.AREA).andThen(Images.resize(47, 13, Interpolation.AREA))
        .apply(src, CONTEXT);
    assertTrue(maxDifference(direct, twoSteps) <= 1);
  }

  @Test
  void flatImagesStayFlatWhateverTheSize() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 50; i++) {
      int w = random.nextInt(1, 60);
      int h = random.nextInt(1, 60);
      int value = random.nextInt(256);
      byte[] pixels = new byte[w * h * 3];
      java.util.Arrays.fill(pixels, (byte) value);
      for (Interpolation interpolation : Interpolation.values()) {
        Image out = Images.resize(random.nextInt(1, 80), random.nextInt(1, 80), interpolation)
            .apply(new Image(w, h, 3, pixels), CONTEXT);
        for (byte b : out.pixels()) {
          assertEquals(value, b & 0xFF, interpolation.toString());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1} shorter side {2} -> {3}x{4}")
  @CsvSource({"500, 375, 256, 341, 256", "375, 500, 256, 256, 341", "100, 100, 50, 50, 50", "3, 1000, 2, 2, 666",
      "1000, 1, 1, 1000, 1"})
  void shorterSideKeepsTheAspectRatioRoundingDown(int w, int h, int size, int expectedW, int expectedH) {
    Image out = Images.resizeShorterSide(size).apply(noise(1, w, h, 1), CONTEXT);
    assertEquals(expectedW, out.width());
    assertEquals(expectedH, out.height());
  }

  @Test
  void shorterSideRefusesResultsTooLargeNamingTheKey() {
    SluiceException e = assertThrows(SluiceException.class,
        () -> Images.resizeShorterSide(50_000).apply(noise(1, 2, 1000, 3), CONTEXT));
    assertTrue(e.getMessage().contains(TestImages.KEY), e.getMessage());
  }

  @Test
  void stepsAreValues() {
    assertEquals("resize(32x24, area)", Images.resize(32, 24, Interpolation.AREA).toString());
    assertEquals("resize(shorter side 256, bilinear)", Images.resizeShorterSide(256).toString());
    assertEquals("resize(shorter side 256, area)", Images.resizeShorterSide(256, Interpolation.AREA).toString());
    assertEquals(Images.resize(32, 24), Images.resize(32, 24, Interpolation.BILINEAR));
    assertNotEquals(Images.resize(32, 24), Images.resize(32, 24, Interpolation.AREA));
    assertNotEquals(Images.resizeShorterSide(32), Images.resize(32, 32));
    assertEquals("shorter side must be positive: 0",
        assertThrows(IllegalArgumentException.class, () -> Images.resizeShorterSide(0)).getMessage());
    assertThrows(NullPointerException.class, () -> Images.resize(3, 3, null));
  }
}
