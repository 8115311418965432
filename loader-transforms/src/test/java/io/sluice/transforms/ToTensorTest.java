package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.image;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.loader.Features;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Exact: the values are small integers or halves. Each test image holds 100c + 10y + x at column x, row y,
 * channel c, so a value says where it came from.
 */
class ToTensorTest {
  private static final int WIDTH = 3;
  private static final int HEIGHT = 2;
  private static final float SENTINEL = -7;

  /** A 3x2 image in HWC order whose sample (x, y, c) is 100c + 10y + x. */
  private static int[] hwc(int channels) {
    int[] samples = new int[WIDTH * HEIGHT * channels];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        for (int c = 0; c < channels; c++) {
          samples[(y * WIDTH + x) * channels + c] = 100 * c + 10 * y + x;
        }
      }
    }
    return samples;
  }

  /** The same as a float image. */
  private static FloatImage floatImage(int channels) {
    int[] samples = hwc(channels);
    float[] values = new float[samples.length];
    for (int i = 0; i < samples.length; i++) {
      values[i] = samples[i];
    }
    return new FloatImage(WIDTH, HEIGHT, channels, values);
  }

  /**
   * Writes {@code features} into a heap buffer with one sentinel before and after its slot, and returns the
   * slot's values after checking the sentinels and that exactly the slot was filled.
   */
  private static float[] written(Features features, FloatBuffer buffer) {
    int size = (int) Arrays.stream(features.shape()).reduce(1, (a, b) -> a * b);
    for (int i = 0; i < buffer.capacity(); i++) {
      buffer.put(i, SENTINEL);
    }
    buffer.position(1);
    buffer.limit(1 + size);
    features.writeTo(buffer.slice());
    buffer.clear();
    assertEquals(SENTINEL, buffer.get(0), "value before the slot");
    assertEquals(SENTINEL, buffer.get(size + 1), "value after the slot");
    float[] slot = new float[size];
    buffer.position(1);
    buffer.get(slot);
    return slot;
  }

  private static FloatBuffer heap(int size) {
    return FloatBuffer.allocate(size + 2);
  }

  /** An off-heap buffer like those behind ND4J's batch tensors. */
  private static FloatBuffer direct(int size) {
    return ByteBuffer.allocateDirect((size + 2) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Test
  void writesRgbChannelByChannel() {
    Features features = Images.toTensor().apply(floatImage(3), CONTEXT);
    assertArrayEquals(new long[] {3, 2, 3}, features.shape());
    for (FloatBuffer buffer : new FloatBuffer[] {heap(18), direct(18)}) {
      float[] chw = written(features, buffer);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < HEIGHT; y++) {
          for (int x = 0; x < WIDTH; x++) {
            assertEquals(100 * c + 10 * y + x, chw[(c * HEIGHT + y) * WIDTH + x], "c=" + c + " y=" + y + " x=" + x);
          }
        }
      }
      assertArrayEquals(new float[] {
          0, 1, 2, 10, 11, 12,
          100, 101, 102, 110, 111, 112,
          200, 201, 202, 210, 211, 212,
      }, chw);
    }
  }

  @Test
  void writesGrayAsIs() {
    Features features = Images.toTensor().apply(floatImage(1), CONTEXT);
    assertArrayEquals(new long[] {1, 2, 3}, features.shape());
    assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12}, written(features, heap(6)));
  }

  @Test
  void shapeIsACopy() {
    Features features = Images.toTensor().apply(floatImage(3), CONTEXT);
    features.shape()[0] = 99;
    assertArrayEquals(new long[] {3, 2, 3}, features.shape());
    assertEquals("Features[3x2x3]", features.toString());
  }

  @Test
  void imageToTensorScalesWhileWriting() {
    Image image = image(WIDTH, HEIGHT, 3, hwc(3));
    Features features = Images.imageToTensor(0.5f).apply(image, CONTEXT);
    assertArrayEquals(new long[] {3, 2, 3}, features.shape());
    assertArrayEquals(new float[] {
        0, 0.5f, 1, 5, 5.5f, 6,
        50, 50.5f, 51, 55, 55.5f, 56,
        100, 100.5f, 101, 105, 105.5f, 106,
    }, written(features, direct(18)));

    Features gray = Images.imageToTensor(1).apply(image(WIDTH, HEIGHT, 1, 255, 1, 2, 10, 11, 12), CONTEXT);
    assertArrayEquals(new long[] {1, 2, 3}, gray.shape());
    assertArrayEquals(new float[] {255, 1, 2, 10, 11, 12}, written(gray, heap(6)));
  }

  @Test
  void imageToTensorMatchesScaleThenToTensor() {
    int[] samples = new int[5 * 4 * 3];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (i * 37 + 11) % 256;
    }
    Image image = image(5, 4, 3, samples);
    float scale = 1 / 255f;
    float[] direct = written(Images.imageToTensor(scale).apply(image, CONTEXT), heap(60));
    float[] viaFloats = written(Images.scale(scale).andThen(Images.toTensor()).apply(image, CONTEXT), heap(60));
    assertArrayEquals(viaFloats, direct);
  }

  @Test
  void stepsAreValues() {
    assertSame(Images.toTensor(), Images.toTensor());
    assertEquals("toTensor", Images.toTensor().toString());
    assertEquals("imageToTensor(scale=0.5)", Images.imageToTensor(0.5f).toString());
    assertEquals(Images.imageToTensor(0.5f), Images.imageToTensor(0.5f));
    assertEquals(Images.imageToTensor(0.5f).hashCode(), Images.imageToTensor(0.5f).hashCode());
    assertNotEquals(Images.imageToTensor(0.5f), Images.imageToTensor(1));
    assertEquals("tensor scale must be finite: NaN",
        assertThrows(IllegalArgumentException.class, () -> Images.imageToTensor(Float.NaN)).getMessage());
  }

  @Test
  void hwcLayoutsWriteTheSamplesAsStored() {
    Features floats = Images.toTensor(TensorLayout.HWC).apply(floatImage(3), CONTEXT);
    assertArrayEquals(new long[] {2, 3, 3}, floats.shape());
    float[] expected = new float[18];
    int[] samples = hwc(3);
    for (int i = 0; i < 18; i++) {
      expected[i] = samples[i];
    }
    assertArrayEquals(expected, written(floats, heap(18)));

    Features scaled = Images.imageToTensor(0.5f, TensorLayout.HWC).apply(image(WIDTH, HEIGHT, 3, hwc(3)), CONTEXT);
    assertArrayEquals(new long[] {2, 3, 3}, scaled.shape());
    for (int i = 0; i < 18; i++) {
      expected[i] = samples[i] * 0.5f;
    }
    assertArrayEquals(expected, written(scaled, direct(18)));
    assertSame(Images.toTensor(TensorLayout.CHW), Images.toTensor());
    assertEquals("toTensor(HWC)", Images.toTensor(TensorLayout.HWC).toString());
    assertEquals("imageToTensor(scale=0.5, HWC)", Images.imageToTensor(0.5f, TensorLayout.HWC).toString());
  }

  @Test
  void normalizeToTensorIsBitForBitScaleNormalizeToTensor() {
    int[] samples = new int[7 * 5 * 3];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (i * 53 + 7) % 256;
    }
    Image image = image(7, 5, 3, samples);
    for (TensorLayout layout : TensorLayout.values()) {
      float[] fused = written(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd(), layout)
          .apply(image, CONTEXT), heap(105));
      float[] steps = written(Images.scale(1 / 255f)
          .andThen(Images.normalize(Images.imageNetMean(), Images.imageNetStd()))
          .andThen(Images.toTensor(layout)).apply(image, CONTEXT), heap(105));
      assertArrayEquals(steps, fused, layout.toString());
    }
    Image gray = image(2, 1, 1, 0, 255);
    assertArrayEquals(new float[] {-1, 1},
        written(Images.normalizeToTensor(new float[] {0.5f}, new float[] {0.5f}).apply(gray, CONTEXT), heap(2)));
    assertEquals("normalizeToTensor(mean=[0.5], std=[0.5])",
        Images.normalizeToTensor(new float[] {0.5f}, new float[] {0.5f}).toString());
    assertEquals("normalizeToTensor(mean=[0.5], std=[0.5], HWC)",
        Images.normalizeToTensor(new float[] {0.5f}, new float[] {0.5f}, TensorLayout.HWC).toString());
  }

  @Test
  void imageNetStatisticsAreFreshCopies() {
    assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, Images.imageNetMean());
    assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, Images.imageNetStd());
    Images.imageNetMean()[0] = 9;
    assertEquals(0.485f, Images.imageNetMean()[0]);
  }

  @Test
  void normalizeToTensorRefusesOtherChannelCountsNamingTheKey() {
    var step = Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd());
    io.sluice.loader.SluiceException e = assertThrows(io.sluice.loader.SluiceException.class,
        () -> step.apply(image(1, 1, 1, 3), CONTEXT));
    assertEquals(TestImages.KEY, e.key());
    assertThrows(IllegalArgumentException.class,
        () -> Images.normalizeToTensor(new float[] {0, 0}, new float[] {1, 1}));
  }

  @Test
  void byteTensorsWriteUnsignedBytesOrTheirFloats() {
    Image image = image(WIDTH, HEIGHT, 3, hwc(3));
    ByteFeatures chw = Images.byteTensor(TensorLayout.CHW).apply(image, CONTEXT);
    assertArrayEquals(new long[] {3, 2, 3}, chw.shape());
    ByteBuffer bytes = ByteBuffer.allocate(18);
    chw.writeTo(bytes);
    int[] unsigned = new int[18];
    for (int i = 0; i < 18; i++) {
      unsigned[i] = bytes.get(i) & 0xFF;
    }
    assertArrayEquals(new int[] {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112, 200, 201, 202, 210, 211, 212},
        unsigned);
    assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112, 200, 201, 202, 210, 211, 212},
        written(chw, heap(18)));
    ByteFeatures hwc = Images.byteTensor(TensorLayout.HWC).apply(image, CONTEXT);
    ByteBuffer raw = ByteBuffer.allocate(18);
    hwc.writeTo(raw);
    assertArrayEquals(image.pixels(), raw.array());
    assertEquals("byteTensor", Images.byteTensor(TensorLayout.CHW).toString());
    assertEquals("byteTensor(HWC)", Images.byteTensor(TensorLayout.HWC).toString());
  }
}
