package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Exact. */
class LabelsTest {

  private static float[] values(Features features) {
    FloatBuffer slot = FloatBuffer.allocate((int) features.shape()[0]);
    features.writeTo(slot);
    return slot.array();
  }

  @Test
  void oneHot() {
    Features f = Labels.oneHot(4).apply(2, CONTEXT);
    assertArrayEquals(new long[] {4}, f.shape());
    assertArrayEquals(new float[] {0, 0, 1, 0}, values(f));
  }

  @Test
  void multiHotSetsEveryClassOnce() {
    assertArrayEquals(new float[] {1, 0, 1, 1, 0}, values(Labels.multiHot(5).apply(new int[] {3, 0, 2, 3}, CONTEXT)));
    assertArrayEquals(new float[] {0, 0, 0}, values(Labels.multiHot(3).apply(new int[0], CONTEXT)));
  }

  @Test
  void valuesPassThroughCopied() {
    float[] targets = {0.5f, -2, 1e9f};
    Features f = Labels.values(3).apply(targets, CONTEXT);
    targets[0] = 7;
    assertArrayEquals(new float[] {0.5f, -2, 1e9f}, values(f));
  }

  @Test
  void outOfRangeLabelsNameTheKey() {
    SluiceException e = assertThrows(SluiceException.class, () -> Labels.oneHot(4).apply(4, CONTEXT));
    assertEquals("label 4 of " + KEY + " is not a class index in [0, 4)", e.getMessage());
    assertEquals(KEY, e.key());
    assertThrows(SluiceException.class, () -> Labels.multiHot(4).apply(new int[] {1, -1}, CONTEXT));
    assertEquals("expected 3 target values for " + KEY + " but got 2",
        assertThrows(SluiceException.class, () -> Labels.values(3).apply(new float[2], CONTEXT)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Labels.oneHot(0));
  }

  @Test
  void stepsAreValues() {
    assertEquals("oneHot(4)", Labels.oneHot(4).toString());
    assertEquals("multiHot(4)", Labels.multiHot(4).toString());
    assertEquals("values(2)", Labels.values(2).toString());
    assertEquals(Labels.oneHot(4), Labels.oneHot(4));
    assertNotEquals(Labels.oneHot(4), Labels.oneHot(5));
  }
}
