package io.sluice.transforms;

import static io.sluice.transforms.TestImages.context;
import static io.sluice.transforms.TestImages.noise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Shapes and value ranges of every step over many random image sizes, channel counts and seeds. */
class PropertyTest {
  private static final int CASES = 300;

  @Test
  void everyStepGivesItsDocumentedShape() {
    SplittableRandom random = new SplittableRandom(2024);
    for (int i = 0; i < CASES; i++) {
      int w = random.nextInt(1, 90);
      int h = random.nextInt(1, 90);
      int channels = random.nextBoolean() ? 1 : 3;
      Image src = noise(i, w, h, channels);
      SampleContext context = context(i, i);
      int a = random.nextInt(1, 70);
      int b = random.nextInt(1, 70);
      String where = w + "x" + h + "x" + channels + " case " + i;

      assertShape(Images.resize(a, b, random.nextBoolean() ? Interpolation.AREA : Interpolation.BILINEAR)
          .apply(src, context), a, b, channels, where);
      long[] shorter = Resize.shorterSideSize(w, h, a);
      Image s = Images.resizeShorterSide(a).apply(src, context);
      assertShape(s, (int) shorter[0], (int) shorter[1], channels, where);
      assertEquals(a, Math.min(s.width(), s.height()), where);
      assertShape(Images.centerCrop(a, b).apply(src, context), a, b, channels, where);
      if (a <= w && b <= h) {
        assertShape(Images.randomCrop(a, b).apply(src, context), a, b, channels, where);
      }
      assertShape(Images.randomResizedCrop(a, b, 0.05, 1, 0.3, 3, Interpolation.BILINEAR).apply(src, context), a, b,
          channels, where);
      int p = random.nextInt(0, 5);
      assertShape(Images.pad(p).apply(src, context), w + 2 * p, h + 2 * p, channels, where);
      assertShape(Images.horizontalFlip(0.5).andThen(Images.verticalFlip(0.5)).apply(src, context), w, h, channels,
          where);
      assertShape(Images.brightness(0.5f).andThen(Images.contrast(0.5f)).apply(src, context), w, h, channels, where);
      assertShape(Images.grayscale(3).apply(src, context), w, h, 3, where);
      for (TensorLayout layout : TensorLayout.values()) {
        Features f = Images.imageToTensor(1, layout).apply(src, context);
        assertArrayEquals(layout == TensorLayout.CHW ? new long[] {channels, h, w} : new long[] {h, w, channels},
            f.shape(), where);
      }
    }
  }

  @Test
  void normalizedTensorsStayWithinTheNormalizedRange() {
    SplittableRandom random = new SplittableRandom(7);
    float[] mean = Images.imageNetMean();
    float[] std = Images.imageNetStd();
    Transform<Image, Features> chain = Images.randomResizedCrop(16)
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.brightness(0.8f))
        .andThen(Images.contrast(0.8f))
        .andThen(Images.normalizeToTensor(mean, std));
    for (int i = 0; i < CASES; i++) {
      Image src = noise(i, random.nextInt(1, 60), random.nextInt(1, 60), 3);
      Features f = chain.apply(src, context(3, i));
      assertArrayEquals(new long[] {3, 16, 16}, f.shape());
      FloatBuffer slot = FloatBuffer.allocate(3 * 16 * 16);
      f.writeTo(slot);
      assertEquals(slot.capacity(), slot.position(), "wrote exactly its shape");
      float[] v = slot.array();
      for (int k = 0; k < v.length; k++) {
        int c = k / 256;
        float low = (0 - mean[c]) / std[c];
        float high = (1 - mean[c]) / std[c];
        assertTrue(v[k] >= low - 1e-6f && v[k] <= high + 1e-6f, "value " + v[k] + " of channel " + c);
      }
    }
  }

  @Test
  void sameContextSameOutputForEveryRandomStep() {
    Image src = noise(1, 50, 40, 3);
    Transform<Image, Image> chain = Images.randomResizedCrop(20)
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.verticalFlip(0.5))
        .andThen(Images.pad(3))
        .andThen(Images.randomCrop(20))
        .andThen(Images.brightness(0.5f))
        .andThen(Images.contrast(0.5f));
    int distinct = 0;
    Image previous = null;
    for (int i = 0; i < 50; i++) {
      Image out = chain.apply(src, context(11, i));
      assertEquals(out, chain.apply(src, context(11, i)));
      if (!out.equals(previous)) {
        distinct++;
      }
      previous = out;
    }
    assertTrue(distinct > 45, "samples differ from one another: " + distinct);
  }

  @Test
  void reductionIsTheRoundedBlockMeanForAnySize() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      int w = random.nextInt(1, 40);
      int h = random.nextInt(1, 40);
      int channels = random.nextBoolean() ? 1 : 3;
      int factor = new int[] {2, 4, 8}[random.nextInt(3)];
      Image src = noise(i, w, h, channels);
      Image out = Resampler.reduce(src, factor);
      assertEquals((w + factor - 1) / factor, out.width());
      assertEquals((h + factor - 1) / factor, out.height());
      for (int oy = 0; oy < out.height(); oy++) {
        for (int ox = 0; ox < out.width(); ox++) {
          for (int c = 0; c < channels; c++) {
            long sum = 0;
            int count = 0;
            for (int y = oy * factor; y < Math.min(h, (oy + 1) * factor); y++) {
              for (int x = ox * factor; x < Math.min(w, (ox + 1) * factor); x++) {
                sum += src.get(x, y, c);
                count++;
              }
            }
            assertEquals((int) Math.floor((double) sum / count + 0.5), out.get(ox, oy, c),
                w + "x" + h + " by " + factor + " at " + ox + "," + oy);
          }
        }
      }
    }
  }

  private static void assertShape(Image image, int width, int height, int channels, String where) {
    assertEquals(width, image.width(), "width, " + where);
    assertEquals(height, image.height(), "height, " + where);
    assertEquals(channels, image.channels(), "channels, " + where);
    assertEquals(width * height * channels, image.pixels().length, where);
  }
}
