package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  private static Transform<StoredObject, Features> chain(float brightness) {
    return Images.decode(3)
        .andThen(Images.randomResizedCrop(224))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.brightness(brightness))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
  }

  @Test
  void equalChainsHaveEqualKeysAndOthersDiffer() {
    String key = Transforms.cacheKey(chain(0.4f));
    assertEquals(64, key.length());
    assertTrue(key.matches("[0-9a-f]{64}"));
    assertEquals(key, Transforms.cacheKey(chain(0.4f)));
    assertNotEquals(key, Transforms.cacheKey(chain(0.5f)));
    assertNotEquals(key, Transforms.cacheKey(Images.decode(3).exifOrientation(true)
        .andThen(Images.randomResizedCrop(224)).andThen(Images.horizontalFlip(0.5)).andThen(Images.brightness(0.4f))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()))));
  }

  /** The key is a function of the description alone: pinned, so an accidental change to a description shows. */
  @Test
  void keyIsStableAcrossRuns() {
    Transform<StoredObject, Features> chain = chain(0.4f);
    assertEquals("decode(3 channels) -> randomResizedCrop(224x224, scale=[0.08, 1.0],"
        + " ratio=[0.75, 1.3333333333333333], bilinear) -> horizontalFlip(p=0.5) -> brightness(0.4)"
        + " -> normalizeToTensor(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])", chain.toString());
    assertEquals(sha256("sluice-transforms/2\n" + chain), Transforms.cacheKey(chain));
  }

  @Test
  void everyStepOfTheCatalogueDescribesItselfStably() {
    List<Transform<?, ?>> steps = List.of(Images.decode(1, 1000).exifOrientation(true).minimumSize(8, 8),
        Images.grayscale(3), Images.resize(3, 4, Interpolation.AREA), Images.resizeShorterSide(5),
        Images.centerCrop(3), Images.randomCrop(2, 3), Images.randomResizedCrop(9), Images.verticalFlip(0.1),
        Images.contrast(0.2f), Images.pad(1, 2, 3, 4, 5), Images.scale(0.5f), Images.normalize(new float[] {1},
            new float[] {2}), Images.toTensor(TensorLayout.HWC), Images.imageToTensor(2),
        Images.byteTensor(TensorLayout.CHW), Labels.oneHot(3), Labels.multiHot(3), Labels.values(3), Records.text(),
        Records.bytes());
    for (Transform<?, ?> step : steps) {
      assertEquals(64, Transforms.cacheKey(step).length(), step.toString());
    }
  }

  @Test
  void stepsWithoutADescriptionAreRefused() {
    Transform<StoredObject, Features> lambda = (object, context) -> null;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transforms.cacheKey(Images.decode(3).andThen(Images.resize(2, 2)).andThen(anonymous())));
    assertTrue(e.getMessage().startsWith("the chain's description is not stable ('"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Transforms.cacheKey(lambda));
  }

  private static Transform<Image, Image> anonymous() {
    return new Transform<>() {
      @Override
      public Image apply(Image input, SampleContext context) {
        return input;
      }
    };
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
