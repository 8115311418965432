package io.sluice.transforms;

import static io.sluice.transforms.TestImages.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageTest {

  @Test
  void samplesAreInterleavedRowMajor() {
    // 3x2 RGB: sample (x, y, c) holds 100c + 10y + x.
    Image image = image(3, 2, 3,
        0, 100, 200, 1, 101, 201, 2, 102, 202,
        10, 110, 210, 11, 111, 211, 12, 112, 212);
    assertEquals(3, image.width());
    assertEquals(2, image.height());
    assertEquals(3, image.channels());
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(100 * c + 10 * y + x, image.get(x, y, c), "x=" + x + " y=" + y + " c=" + c);
        }
      }
    }
    assertEquals("Image[3x2x3]", image.toString());
  }

  @Test
  void samplesAreUnsigned() {
    Image image = image(2, 1, 1, 255, 128);
    assertEquals(255, image.get(0, 0, 0));
    assertEquals(128, image.get(1, 0, 0));
  }

  @Test
  void pixelsAreTheBackingArray() {
    byte[] pixels = {1, 2, 3, 4};
    assertSame(pixels, new Image(2, 2, 1, pixels).pixels());
    float[] values = {1, 2, 3, 4};
    assertSame(values, new FloatImage(4, 1, 1, values).values());
  }

  @Test
  void constructorRejectsBadShapesNamingThem() {
    assertEquals("image dimensions must be positive: 0x2",
        assertThrows(IllegalArgumentException.class, () -> new Image(0, 2, 1, new byte[0])).getMessage());
    assertEquals("image dimensions must be positive: 2x-1",
        assertThrows(IllegalArgumentException.class, () -> new Image(2, -1, 1, new byte[0])).getMessage());
    assertEquals("channels must be 1 or 3: 4",
        assertThrows(IllegalArgumentException.class, () -> new Image(1, 1, 4, new byte[4])).getMessage());
    assertEquals("a 2x2x3 image holds 12 samples but 11 were given",
        assertThrows(IllegalArgumentException.class, () -> new Image(2, 2, 3, new byte[11])).getMessage());
    assertThrows(NullPointerException.class, () -> new Image(1, 1, 1, null));
    assertEquals("a 2x2x1 image holds 4 samples but 3 were given",
        assertThrows(IllegalArgumentException.class, () -> new FloatImage(2, 2, 1, new float[3])).getMessage());
    assertThrows(NullPointerException.class, () -> new FloatImage(1, 1, 1, null));
  }

  @Test
  void getRejectsOutsideSamples() {
    Image image = image(2, 2, 1, 1, 2, 3, 4);
    assertEquals("sample (x=2, y=0, c=0) is outside a 2x2x1 image",
        assertThrows(IndexOutOfBoundsException.class, () -> image.get(2, 0, 0)).getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> image.get(0, -1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> image.get(0, 0, 1));
    FloatImage floats = new FloatImage(1, 1, 3, new float[3]);
    assertThrows(IndexOutOfBoundsException.class, () -> floats.get(0, 0, 3));
  }

  @Test
  void equalityIsByShapeAndContent() {
    Image image = image(2, 1, 1, 5, 6);
    assertEquals(image, image(2, 1, 1, 5, 6));
    assertEquals(image.hashCode(), image(2, 1, 1, 5, 6).hashCode());
    assertNotEquals(image, image(1, 2, 1, 5, 6));
    assertNotEquals(image, image(2, 1, 1, 5, 7));

    FloatImage floats = new FloatImage(1, 1, 3, new float[] {0.5f, 1, 2});
    assertEquals(floats, new FloatImage(1, 1, 3, new float[] {0.5f, 1, 2}));
    assertEquals(floats.hashCode(), new FloatImage(1, 1, 3, new float[] {0.5f, 1, 2}).hashCode());
    assertNotEquals(floats, new FloatImage(3, 1, 1, new float[] {0.5f, 1, 2}));
    assertEquals(2f, floats.get(0, 0, 2));
    assertEquals("FloatImage[1x1x3]", floats.toString());
  }
}
