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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Crops, exact: windows are checked against independent transcriptions of torchvision's rules, and pixels
 * against copying the window by hand (or cropping then resizing).
 */
class CropTest {

  /** A 5x4 gray image whose sample at (x, y) is 10y + x. */
  private static final Image GRID = grid(5, 4);

  private static Image grid(int width, int height) {
    int[] samples = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        samples[y * width + x] = 10 * y + x;
      }
    }
    return image(width, height, 1, samples);
  }

  @Test
  void centerCropRoundsHalvesToEven() {
    // 5 - 2 = 3 columns spare: round(1.5) = 2 (even); 4 - 2 = 2 rows spare: 1.
    assertArrayEquals(new int[] {12, 13, 22, 23}, samples(Images.centerCrop(2).apply(GRID, CONTEXT)));
    // 5 - 4 = 1 spare: round(0.5) = 0; 4 - 1 = 3 spare: round(1.5) = 2.
    assertArrayEquals(new int[] {20, 21, 22, 23}, samples(Images.centerCrop(4, 1).apply(GRID, CONTEXT)));
  }

  @Test
  void centerCropLargerThanTheImagePadsWithZeros() {
    // 3 columns more than 5: 1 left, 2 right; rows fit exactly.
    Image out = Images.centerCrop(8, 4).apply(GRID, CONTEXT);
    assertArrayEquals(new int[] {
        0, 0, 1, 2, 3, 4, 0, 0,
        0, 10, 11, 12, 13, 14, 0, 0,
        0, 20, 21, 22, 23, 24, 0, 0,
        0, 30, 31, 32, 33, 34, 0, 0,
    }, samples(out));
    // Wider and shorter: pad the width (1 more column: 0 left, 1 right), crop the height (2 spare: 1).
    assertArrayEquals(new int[] {10, 11, 12, 13, 14, 0, 20, 21, 22, 23, 24, 0},
        samples(Images.centerCrop(6, 2).apply(GRID, CONTEXT)));
  }

  @Test
  void centerCropOfTheSameSizeIsTheImage() {
    assertEquals(GRID, Images.centerCrop(5, 4).apply(GRID, CONTEXT));
  }

  @Test
  void randomCropDrawsTopThenLeftUniformly() {
    for (int sample = 0; sample < 50; sample++) {
      SampleContext context = context(17, sample);
      RandomGenerator twin = TestImages.context(17, sample).random();
      int top = twin.nextInt(4 - 2 + 1);
      int left = twin.nextInt(5 - 3 + 1);
      Image out = Images.randomCrop(3, 2).apply(GRID, context);
      int[] expected = new int[6];
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          expected[y * 3 + x] = 10 * (top + y) + left + x;
        }
      }
      assertArrayEquals(expected, samples(out), "sample " + sample);
    }
  }

  @Test
  void randomCropReachesEveryPosition() {
    Set<Integer> corners = new HashSet<>();
    for (int sample = 0; sample < 400; sample++) {
      corners.add(Images.randomCrop(3, 2).apply(GRID, context(3, sample)).get(0, 0, 0));
    }
    // Top-left samples 10 * top + left for top in 0..2 and left in 0..2.
    assertEquals(Set.of(0, 1, 2, 10, 11, 12, 20, 21, 22), corners);
  }

  @Test
  void randomCropOfASmallerImageFailsNamingTheKey() {
    SluiceException e = assertThrows(SluiceException.class, () -> Images.randomCrop(6, 2).apply(GRID, CONTEXT));
    assertEquals("randomCrop(6x2) needs an image of at least 6x2 but " + KEY + " is 5x4 (resize or pad first)",
        e.getMessage());
    assertEquals(KEY, e.key());
  }

  /** torchvision's RandomResizedCrop.get_params, transcribed, drawing from the same generator. */
  private static int[] torchvisionWindow(int width, int height, double[] scale, double[] ratio, RandomGenerator r) {
    double area = (double) height * width;
    double[] logRatio = {Math.log(ratio[0]), Math.log(ratio[1])};
    for (int i = 0; i < 10; i++) {
      double targetArea = area * (scale[0] + (scale[1] - scale[0]) * r.nextDouble());
      double aspectRatio = Math.exp(logRatio[0] + (logRatio[1] - logRatio[0]) * r.nextDouble());
      int w = (int) Math.rint(Math.sqrt(targetArea * aspectRatio));
      int h = (int) Math.rint(Math.sqrt(targetArea / aspectRatio));
      if (0 < w && w <= width && 0 < h && h <= height) {
        int top = r.nextInt(height - h + 1);
        int left = r.nextInt(width - w + 1);
        return new int[] {left, top, w, h};
      }
    }
    double inRatio = (double) width / height;
    int w;
    int h;
    if (inRatio < Math.min(ratio[0], ratio[1])) {
      w = width;
      h = (int) Math.rint(w / Math.min(ratio[0], ratio[1]));
    } else if (inRatio > Math.max(ratio[0], ratio[1])) {
      h = height;
      w = (int) Math.rint(h * Math.max(ratio[0], ratio[1]));
    } else {
      w = width;
      h = height;
    }
    return new int[] {(width - w) / 2, (height - h) / 2, w, h};
  }

  @Test
  void randomResizedCropChoosesTorchvisionsWindowAndResizesIt() {
    SplittableRandom sizes = new SplittableRandom(1);
    RandomResizedCrop crop = (RandomResizedCrop) Images.randomResizedCrop(24);
    for (int sample = 0; sample < 300; sample++) {
      int width = sizes.nextInt(1, 120);
      int height = sizes.nextInt(1, 120);
      Window window = crop.window(width, height, context(8, sample));
      int[] expected = torchvisionWindow(width, height, new double[] {0.08, 1}, new double[] {3 / 4.0, 4 / 3.0},
          context(8, sample).random());
      assertArrayEquals(expected, new int[] {window.x(), window.y(), window.width(), window.height()},
          width + "x" + height + " sample " + sample);
    }
    Image src = noise(4, 90, 70, 3);
    for (int sample = 0; sample < 20; sample++) {
      Window w = crop.window(90, 70, context(9, sample));
      Image expected = Images.resize(24, 24).apply(Crops.copy(src, w, 0), CONTEXT);
      assertEquals(expected, Images.randomResizedCrop(24).apply(src, context(9, sample)));
    }
  }

  @Test
  void randomResizedCropRespectsItsRangesExceptInTheFallback() {
    double[][] settings = {{0.08, 1, 0.75, 4 / 3.0}, {0.5, 0.5, 1, 1}, {0.2, 0.4, 0.5, 2}};
    SplittableRandom sizes = new SplittableRandom(2);
    for (double[] s : settings) {
      RandomResizedCrop crop = (RandomResizedCrop) Images.randomResizedCrop(10, 12, s[0], s[1], s[2], s[3],
          Interpolation.BILINEAR);
      for (int sample = 0; sample < 500; sample++) {
        int width = sizes.nextInt(20, 400);
        int height = sizes.nextInt(20, 400);
        Window w = crop.window(width, height, context(6, sample));
        assertTrue(w.inside(width, height), w + " in " + width + "x" + height);
        double area = (double) w.width() * w.height() / ((double) width * height);
        double ratio = (double) w.width() / w.height();
        boolean fallback = w.x() == (width - w.width()) / 2 && w.y() == (height - w.height()) / 2
            && (w.width() == width || w.height() == height);
        if (!fallback) {
          // Sides are rounded to whole pixels, so the ranges hold up to that rounding.
          double slack = 1.0 / Math.min(w.width(), w.height()) * 2.5;
          assertTrue(area >= s[0] * (1 - slack) && area <= s[1] * (1 + slack), "area " + area + " for " + w);
          assertTrue(ratio >= s[2] * (1 - slack) && ratio <= s[3] * (1 + slack), "ratio " + ratio + " for " + w);
        }
        Image out = crop.apply(noise(sample, width, height, 1), context(6, sample));
        assertEquals(10, out.width());
        assertEquals(12, out.height());
      }
    }
  }

  @Test
  void randomResizedCropFallsBackToTheCentralCropOfAnExtremeImage() {
    // 400x2 with ratios up to 4/3: no random window fits; the fallback keeps the height and clamps the width.
    RandomResizedCrop crop = (RandomResizedCrop) Images.randomResizedCrop(8);
    Window w = crop.window(400, 2, context(1, 1));
    // Width round(2 * 4 / 3) = 3, left (400 - 3) // 2 = 198.
    assertEquals(new Window(198, 0, 3, 2), w);
  }

  @Test
  void stepsAreValuesAndValidate() {
    assertEquals("centerCrop(3x2)", Images.centerCrop(3, 2).toString());
    assertEquals("randomCrop(4x4)", Images.randomCrop(4).toString());
    assertEquals("randomResizedCrop(224x224, scale=[0.08, 1.0], ratio=[0.75, 1.3333333333333333], bilinear)",
        Images.randomResizedCrop(224).toString());
    assertEquals(Images.randomResizedCrop(224), Images.randomResizedCrop(224, 224, 0.08, 1, 3 / 4.0, 4 / 3.0,
        Interpolation.BILINEAR));
    assertNotEquals(Images.randomResizedCrop(224), Images.randomResizedCrop(224, 224, 0.08, 1, 3 / 4.0, 4 / 3.0,
        Interpolation.AREA));
    assertEquals(Images.centerCrop(3), Images.centerCrop(3, 3));
    assertEquals("crop dimensions must be positive: 0x3",
        assertThrows(IllegalArgumentException.class, () -> Images.centerCrop(0, 3)).getMessage());
    assertEquals("scale range must satisfy 0 < min <= max <= 1: [0.5, 0.4]",
        assertThrows(IllegalArgumentException.class,
            () -> Images.randomResizedCrop(8, 8, 0.5, 0.4, 1, 1, Interpolation.AREA)).getMessage());
    assertEquals("ratio range must satisfy 0 < min <= max < infinity: [0.0, 1.0]",
        assertThrows(IllegalArgumentException.class,
            () -> Images.randomResizedCrop(8, 8, 0.5, 1, 0, 1, Interpolation.AREA)).getMessage());
  }
}
