package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.transforms.datavec.OpenCvLinearResize;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * OpenCV's {@code INTER_LINEAR_EXACT} must give bit for bit the pixels of Sluice's Java bilinear resize, or having
 * loader-datavec on the class path would change samples.
 */
class OpenCvLinearResizeTest {
  private final OpenCvLinearResize opencv = new OpenCvLinearResize();

  private static Image image(int width, int height, int channels, long seed, boolean smooth) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[width * height * channels];
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++, i++) {
          pixels[i] = (byte) (smooth ? (x * (c + 2) + y * 3 + random.nextInt(8)) : random.nextInt(256));
        }
      }
    }
    return new Image(width, height, channels, pixels);
  }

  private void assertSame(Image src, Window w, int outWidth, int outHeight, boolean mirrored) {
    byte[] java = Resampler.bilinearInJava(src, w, outWidth, outHeight, mirrored);
    byte[] native_ = opencv.resize(src.pixels(), src.width(), src.height(), src.channels(), w.x(), w.y(), w.width(),
        w.height(), outWidth, outHeight, mirrored);
    assertArrayEquals(java, native_, src + " window " + w + " -> " + outWidth + "x" + outHeight
        + (mirrored ? " mirrored" : ""));
  }

  @Test
  void isAvailableAndFoundByTheTransforms() {
    assertNull(opencv.problem());
    assertTrue(LinearResizer.installed() instanceof OpenCvLinearResize, "found through ServiceLoader");
  }

  @Test
  void randomWindowsAndSizesGiveTheJavaPixels() {
    SplittableRandom random = new SplittableRandom(42);
    int cases = 0;
    for (int round = 0; round < 400; round++) {
      int channels = round % 5 == 0 ? 1 : 3;
      int width = 1 + random.nextInt(round % 3 == 0 ? 600 : 90);
      int height = 1 + random.nextInt(round % 3 == 0 ? 450 : 90);
      Image src = image(width, height, channels, round, round % 2 == 0);
      int ww = 1 + random.nextInt(width);
      int wh = 1 + random.nextInt(height);
      Window w = new Window(random.nextInt(width - ww + 1), random.nextInt(height - wh + 1), ww, wh);
      int outWidth = 1 + random.nextInt(round % 4 == 0 ? 300 : 60);
      int outHeight = 1 + random.nextInt(round % 4 == 0 ? 300 : 60);
      assertSame(src, w, outWidth, outHeight, random.nextBoolean());
      cases++;
    }
    assertEquals(400, cases);
  }

  @Test
  void theScalesOfTrainingChainsGiveTheJavaPixels() {
    Image photo = image(500, 375, 3, 7, true);
    List<int[]> shapes = new ArrayList<>(List.of(
        new int[] {0, 0, 500, 375, 341, 256}, // resizeShorterSide(256)
        new int[] {26, 0, 448, 375, 224, 224}, // exactly 2x across
        new int[] {0, 0, 448, 448 > 375 ? 374 : 448, 224, 187}, // 2x across, not down
        new int[] {10, 10, 448, 364, 224, 182}, // exactly 2x both ways
        new int[] {100, 50, 112, 112, 224, 224}, // exactly 2x up
        new int[] {0, 0, 1, 1, 224, 224}, // one pixel
        new int[] {499, 374, 1, 1, 3, 5},
        new int[] {0, 0, 500, 375, 224, 224},
        new int[] {3, 7, 75, 100, 224, 224}, // 3x up
        new int[] {0, 0, 500, 1, 224, 224}));
    for (int[] s : shapes) {
      for (boolean mirrored : new boolean[] {false, true}) {
        assertSame(photo, new Window(s[0], s[1], s[2], s[3]), s[4], s[5], mirrored);
      }
    }
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) { // RandomResizedCrop(224) windows
      double area = 500 * 375 * (0.08 + 0.92 * random.nextDouble());
      double ratio = Math.exp(Math.log(0.75) + (Math.log(4 / 3.0) - Math.log(0.75)) * random.nextDouble());
      int w = (int) Math.rint(Math.sqrt(area * ratio));
      int h = (int) Math.rint(Math.sqrt(area / ratio));
      if (w > 0 && w <= 500 && h > 0 && h <= 375) {
        assertSame(photo, new Window(random.nextInt(500 - w + 1), random.nextInt(375 - h + 1), w, h), 224, 224,
            random.nextBoolean());
      }
    }
  }
}
