package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bilinear resize is exact integer arithmetic (the rule in {@code Resampler.bilinear}'s comment, which is OpenCV's
 * {@code INTER_LINEAR_EXACT}): the two-pass implementation must give what the rule gives pixel by pixel.
 */
class BilinearExactTest {

  /** The rule, one destination sample at a time from its four neighbours. */
  private static byte[] byTheRule(Image src, Window w, int outWidth, int outHeight, boolean mirrored) {
    int channels = src.channels();
    byte[] out = new byte[outWidth * outHeight * channels];
    for (int y = 0; y < outHeight; y++) {
      double sy = 1.0 / ((double) outHeight / w.height()) * (y + 0.5) - 0.5;
      int y0 = (int) Math.floor(sy);
      int hb = (int) Math.rint((sy - Math.floor(sy)) * 256);
      for (int x = 0; x < outWidth; x++) {
        int xs = mirrored ? outWidth - 1 - x : x;
        double sx = 1.0 / ((double) outWidth / w.width()) * (xs + 0.5) - 0.5;
        int x0 = (int) Math.floor(sx);
        int wb = (int) Math.rint((sx - Math.floor(sx)) * 256);
        for (int c = 0; c < channels; c++) {
          long a = sample(src, w, x0, y0, c);
          long b = sample(src, w, x0 + 1, y0, c);
          long d = sample(src, w, x0, y0 + 1, c);
          long e = sample(src, w, x0 + 1, y0 + 1, c);
          long v = (a * (256 - wb) + b * wb) * (256 - hb) + (d * (256 - wb) + e * wb) * hb;
          out[(y * outWidth + x) * channels + c] = (byte) ((v + 32768) >> 16);
        }
      }
    }
    return out;
  }

  /** The sample at window coordinates clamped to the window. */
  private static int sample(Image src, Window w, int x, int y, int c) {
    int cx = Math.min(Math.max(x, 0), w.width() - 1) + w.x();
    int cy = Math.min(Math.max(y, 0), w.height() - 1) + w.y();
    return src.get(cx, cy, c);
  }

  @Test
  void theTwoPassResizeFollowsTheRuleExactly() {
    SplittableRandom random = new SplittableRandom(5);
    int cases = 0;
    for (int round = 0; round < 300; round++) {
      int channels = round % 4 == 0 ? 1 : 3;
      int width = 1 + random.nextInt(70);
      int height = 1 + random.nextInt(70);
      byte[] pixels = new byte[width * height * channels];
      random.nextBytes(pixels);
      Image src = new Image(width, height, channels, pixels);
      int ww = 1 + random.nextInt(width);
      int wh = 1 + random.nextInt(height);
      Window w = new Window(random.nextInt(width - ww + 1), random.nextInt(height - wh + 1), ww, wh);
      int outWidth = 1 + random.nextInt(80);
      int outHeight = 1 + random.nextInt(80);
      boolean mirrored = random.nextBoolean();
      assertArrayEquals(byTheRule(src, w, outWidth, outHeight, mirrored),
          Resampler.bilinearInJava(src, w, outWidth, outHeight, mirrored),
          src + " window " + w + " -> " + outWidth + "x" + outHeight + (mirrored ? " mirrored" : ""));
      cases++;
    }
    assertEquals(300, cases);
  }

  @Test
  void halfwayValuesRoundUpAndAFlatImageStaysFlat() {
    Image two = new Image(2, 1, 1, new byte[] {0, 1});
    // 2 -> 4 columns: taps at -0.25, 0.25, 0.75, 1.25: weights 0, 64, 192, 0 of the right pixel (the first and last
    // clamp), so 0, 0.25, 0.75, 1 -> 0, 0, 1, 1; a level halfway between rounds up
    assertArrayEquals(new byte[] {0, 0, 1, 1}, Resampler.bilinearInJava(two, new Window(0, 0, 2, 1), 4, 1, false));
    Image pair = new Image(2, 1, 1, new byte[] {10, 11});
    assertArrayEquals(new byte[] {11}, Resampler.bilinearInJava(pair, new Window(0, 0, 2, 1), 1, 1, false),
        "10.5 rounds half up");
    byte[] flat = new byte[37 * 23 * 3];
    java.util.Arrays.fill(flat, (byte) 200);
    byte[] out = Resampler.bilinearInJava(new Image(37, 23, 3, flat), new Window(3, 2, 30, 20), 61, 7, true);
    for (byte b : out) {
      assertEquals(200, b & 0xFF);
    }
  }
}
