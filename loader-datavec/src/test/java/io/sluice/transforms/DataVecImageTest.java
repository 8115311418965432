package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static io.sluice.transforms.TestImages.context;
import static io.sluice.transforms.TestImages.maxDifference;
import static io.sluice.transforms.TestImages.noise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.transforms.datavec.DataVecImages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;
import org.datavec.image.transform.ColorConversionTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.datavec.image.transform.ResizeImageTransform;
import org.junit.jupiter.api.Test;

/**
 * DataVec {@code ImageTransform}s as steps. Flips are exact; OpenCV's resize and gray conversion use fixed-point
 * arithmetic, so they agree with ours within 1 level.
 */
class DataVecImageTest {

  @Test
  void fixedFlipIsExactlyOurFlip() {
    for (int channels : new int[] {1, 3}) {
      Image src = noise(channels, 29, 17, channels);
      Transform<Image, Image> flip = DataVecImages.dataVec(new FlipImageTransform(1));
      assertEquals(Images.horizontalFlip(1).apply(src, CONTEXT), flip.apply(src, context(1, 1)));
      assertEquals(Images.verticalFlip(1).apply(src, CONTEXT),
          DataVecImages.dataVec(new FlipImageTransform(0)).apply(src, CONTEXT));
    }
  }

  @Test
  void resizeAndGrayConversionAgreeWithOurs() {
    Image src = noise(2, 64, 48, 3);
    Image resized = DataVecImages.dataVec(new ResizeImageTransform(40, 30)).apply(src, CONTEXT);
    assertTrue(maxDifference(Images.resize(40, 30).apply(src, CONTEXT), resized) <= 1);
    Image gray = DataVecImages.dataVec(new ColorConversionTransform(opencv_imgproc.COLOR_BGR2GRAY)).apply(src, CONTEXT);
    assertEquals(1, gray.channels());
    assertTrue(maxDifference(Images.grayscale().apply(src, CONTEXT), gray) <= 1);
  }

  @Test
  void randomTransformsAreReproducibleFromTheSampleGenerator() throws Exception {
    Image src = noise(3, 20, 10, 3);
    Transform<Image, Image> shared = DataVecImages.dataVec(new FlipImageTransform(new Random(123)));
    Transform<Image, Image> perThread = DataVecImages.dataVec("flip(random mode)", () -> new FlipImageTransform(new Random()));
    Set<Image> distinct = new HashSet<>();
    List<Image> sequential = new ArrayList<>();
    for (int sample = 0; sample < 64; sample++) {
      Image out = shared.apply(src, context(7, sample));
      assertEquals(out, shared.apply(src, context(7, sample)), "same sample, same output");
      assertEquals(out, perThread.apply(src, context(7, sample)), "the factory's instances choose alike");
      sequential.add(out);
      distinct.add(out);
    }
    assertEquals(4, distinct.size(), "flip modes: none, horizontal, vertical, both");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (Transform<Image, Image> step : List.of(shared, perThread)) {
        List<Future<Image>> parallel = new ArrayList<>();
        for (int sample = 0; sample < 64; sample++) {
          int s = sample;
          parallel.add(pool.submit(() -> step.apply(src, context(7, s))));
        }
        for (int sample = 0; sample < 64; sample++) {
          assertEquals(sequential.get(sample), parallel.get(sample).get(), step + " sample " + sample);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failuresNameTheKey() {
    ImageTransform broken = new BaseImageTransform<Object>(null) {
      @Override
      protected ImageWritable doTransform(ImageWritable image, Random random) {
        throw new IllegalStateException("boom");
      }

      @Override
      public float[] query(float... coordinates) {
        return coordinates;
      }

      @Override
      public String toString() {
        return "broken";
      }
    };
    SluiceException e = assertThrows(SluiceException.class,
        () -> DataVecImages.dataVec(broken).apply(noise(1, 4, 4, 3), CONTEXT));
    assertEquals("dataVec(broken) failed on " + KEY + ": java.lang.IllegalStateException: boom", e.getMessage());
    assertEquals(KEY, e.key());
  }

  @Test
  void describesItselfByTheTransformOrTheGivenDescription() {
    Transform<Image, Image> named = DataVecImages.dataVec("flip(random mode)", () -> new FlipImageTransform(new Random()));
    assertEquals("dataVec(flip(random mode))", named.toString());
    assertNotEquals(named, DataVecImages.dataVec("flip(other)", () -> new FlipImageTransform(new Random())));
    assertTrue(DataVecImages.dataVec(new FlipImageTransform(1)).toString().startsWith("dataVec("));
  }
}
