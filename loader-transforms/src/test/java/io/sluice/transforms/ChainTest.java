package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.encode;
import static io.sluice.transforms.TestImages.fillSamples;
import static io.sluice.transforms.TestImages.stored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Steps joined with {@link Transform#andThen}; exact, since every value is a block mean of integers. */
class ChainTest {

  /** A 4x4 gray PNG of four flat 2x2 blocks: 10, 20 / 30, 40. */
  private static StoredObject blocks() {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    fillSamples(image,
        10, 10, 20, 20,
        10, 10, 20, 20,
        30, 30, 40, 40,
        30, 30, 40, 40);
    return stored(encode(image, "png"));
  }

  private static float[] write(Features features) {
    FloatBuffer slot = FloatBuffer.allocate((int) (features.shape()[0] * features.shape()[1] * features.shape()[2]));
    features.writeTo(slot);
    return slot.array();
  }

  @Test
  void decodeResizeScaleNormalizeToTensor() {
    Transform<StoredObject, Features> chain = Images.decode(3)
        .andThen(Images.resize(2, 2))
        .andThen(Images.scale(0.5f))
        .andThen(Images.normalize(new float[] {5, 10, 15}, new float[] {1, 2, 4}))
        .andThen(Images.toTensor());
    Features features = chain.apply(blocks(), CONTEXT);
    assertArrayEquals(new long[] {3, 2, 2}, features.shape());
    // Resized: 10, 20, 30, 40 in each channel; scaled: 5, 10, 15, 20.
    assertArrayEquals(new float[] {
        0, 5, 10, 15, // (v - 5) / 1
        -2.5f, 0, 2.5f, 5, // (v - 10) / 2
        -2.5f, -1.25f, 0, 1.25f, // (v - 15) / 4
    }, write(features));
  }

  @Test
  void grayChainWithoutFloatImage() {
    Transform<StoredObject, Features> chain = Images.decode(1)
        .andThen(Images.resize(2, 2))
        .andThen(Images.imageToTensor(1));
    Features features = chain.apply(blocks(), CONTEXT);
    assertArrayEquals(new long[] {1, 2, 2}, features.shape());
    assertArrayEquals(new float[] {10, 20, 30, 40}, write(features));
  }

  @Test
  void chainsPrintAndCompareStepByStep() {
    Transform<StoredObject, Features> chain = Images.decode(3)
        .andThen(Images.grayscale())
        .andThen(Images.resize(32, 32))
        .andThen(Images.scale(0.5f))
        .andThen(Images.normalize(new float[] {0.5f}, new float[] {0.25f}))
        .andThen(Images.toTensor());
    assertEquals("decode(3 channels) -> grayscale -> resize(32x32, bilinear) -> scale(0.5)"
        + " -> normalize(mean=[0.5], std=[0.25]) -> toTensor", chain.toString());

    Transform<StoredObject, Features> same = Images.decode(3)
        .andThen(Images.grayscale())
        .andThen(Images.resize(32, 32))
        .andThen(Images.scale(0.5f))
        .andThen(Images.normalize(new float[] {0.5f}, new float[] {0.25f}))
        .andThen(Images.toTensor());
    assertEquals(chain, same);
    assertEquals(chain.hashCode(), same.hashCode());
    assertNotEquals(chain, Images.decode(3).andThen(Images.resize(32, 32)).andThen(Images.imageToTensor(0.5f)));
  }
}
