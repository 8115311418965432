package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static io.sluice.transforms.TestImages.image;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.loader.SluiceException;
import org.junit.jupiter.api.Test;

/** Exact where the arithmetic is exact in float (powers of two); otherwise within 1e-6. */
class ScaleAndNormalizeTest {
  private static final float TOLERANCE = 1e-6f;

  @Test
  void scaleMultipliesUnsignedSamples() {
    Image image = image(2, 1, 3, 0, 1, 2, 128, 254, 255);
    FloatImage doubled = Images.scale(2).apply(image, CONTEXT);
    assertEquals(2, doubled.width());
    assertEquals(1, doubled.height());
    assertEquals(3, doubled.channels());
    assertArrayEquals(new float[] {0, 2, 4, 256, 508, 510}, doubled.values());

    FloatImage unit = Images.scale(1 / 255f).apply(image, CONTEXT);
    assertArrayEquals(new float[] {0, 1 / 255f, 2 / 255f, 128 / 255f, 254 / 255f, 1}, unit.values(), TOLERANCE);
    assertEquals(1f, unit.get(1, 0, 2), TOLERANCE);
  }

  @Test
  void scaleIsAValue() {
    assertEquals("scale(0.5)", Images.scale(0.5f).toString());
    assertEquals(Images.scale(0.5f), Images.scale(0.5f));
    assertEquals(Images.scale(0.5f).hashCode(), Images.scale(0.5f).hashCode());
    assertNotEquals(Images.scale(0.5f), Images.scale(0.25f));
    assertEquals("scale factor must be finite: NaN",
        assertThrows(IllegalArgumentException.class, () -> Images.scale(Float.NaN)).getMessage());
    assertEquals("scale factor must be finite: Infinity",
        assertThrows(IllegalArgumentException.class, () -> Images.scale(Float.POSITIVE_INFINITY)).getMessage());
  }

  @Test
  void normalizeSubtractsMeanAndDividesByStdPerChannel() {
    FloatImage image = new FloatImage(2, 1, 3, new float[] {0.5f, 0.25f, 1, /**/ 0, 0.75f, 0.5f});
    FloatImage out = Images.normalize(new float[] {0.5f, 0.25f, 0.5f}, new float[] {0.25f, 0.5f, 2})
        .apply(image, CONTEXT);
    assertArrayEquals(new float[] {
        0, 0, 0.25f, // (0.5-0.5)/0.25, (0.25-0.25)/0.5, (1-0.5)/2
        -2, 1, 0, // (0-0.5)/0.25, (0.75-0.25)/0.5, (0.5-0.5)/2
    }, out.values());
    assertEquals(2, out.width());
    assertEquals(1, out.height());
    assertEquals(3, out.channels());
  }

  @Test
  void normalizeWithImageNetStatistics() {
    FloatImage image = new FloatImage(1, 1, 3, new float[] {0.2f, 0.5f, 0.9f});
    FloatImage out = Images.normalize(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f})
        .apply(image, CONTEXT);
    assertArrayEquals(new float[] {
        (float) ((0.2 - 0.485) / 0.229), // -1.2445415
        (float) ((0.5 - 0.456) / 0.224), // 0.19642857
        (float) ((0.9 - 0.406) / 0.225), // 2.1955556
    }, out.values(), TOLERANCE);
  }

  @Test
  void normalizeGray() {
    FloatImage out = Images.normalize(new float[] {0.5f}, new float[] {0.5f})
        .apply(new FloatImage(2, 1, 1, new float[] {0, 1}), CONTEXT);
    assertArrayEquals(new float[] {-1, 1}, out.values());
  }

  @Test
  void normalizeRefusesImagesWithOtherChannelCountsNamingTheKey() {
    var normalize = Images.normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1});
    SluiceException e = assertThrows(SluiceException.class,
        () -> normalize.apply(new FloatImage(1, 1, 1, new float[1]), CONTEXT));
    assertEquals("normalize(mean=[0.0, 0.0, 0.0], std=[1.0, 1.0, 1.0]) needs 3-channel images but " + KEY
        + " has 1 channels", e.getMessage());
    assertEquals(KEY, e.key());
    assertFalse(e.retryable());
  }

  @Test
  void normalizeCopiesItsArgumentsAndIsAValue() {
    float[] mean = {0.5f, 0.5f, 0.5f};
    float[] std = {0.25f, 0.25f, 0.25f};
    var normalize = Images.normalize(mean, std);
    mean[0] = 100;
    std[0] = 100;
    FloatImage out = normalize.apply(new FloatImage(1, 1, 3, new float[] {1, 1, 1}), CONTEXT);
    assertArrayEquals(new float[] {2, 2, 2}, out.values());

    assertEquals("normalize(mean=[0.5, 0.5, 0.5], std=[0.25, 0.25, 0.25])", normalize.toString());
    var same = Images.normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
    assertEquals(normalize, same);
    assertEquals(normalize.hashCode(), same.hashCode());
    assertNotEquals(normalize, Images.normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 1}));
  }

  @Test
  void normalizeRejectsBadStatisticsNamingThem() {
    assertEquals("mean must have 1 or 3 values, one per channel: [0.0, 0.0]",
        assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(new float[2], new float[] {1, 1})).getMessage());
    assertEquals("mean and std must have the same length: mean [0.0, 0.0, 0.0], std [1.0]",
        assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(new float[3], new float[] {1})).getMessage());
    assertEquals("std[1] must be positive and finite: 0.0",
        assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(new float[3], new float[] {1, 0, 1})).getMessage());
    assertEquals("std[2] must be positive and finite: -0.5",
        assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(new float[3], new float[] {1, 1, -0.5f})).getMessage());
    assertEquals("std[0] must be positive and finite: NaN",
        assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(new float[1], new float[] {Float.NaN})).getMessage());
    assertEquals("mean[0] must be finite: Infinity",
        assertThrows(IllegalArgumentException.class,
            () -> Images.normalize(new float[] {Float.POSITIVE_INFINITY}, new float[] {1})).getMessage());
    assertThrows(NullPointerException.class, () -> Images.normalize(null, new float[] {1}));
    assertThrows(NullPointerException.class, () -> Images.normalize(new float[] {1}, null));
  }
}
