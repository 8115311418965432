package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sluice.loader.Transform;
import io.sluice.transforms.datavec.DataVecImages;
import org.datavec.image.transform.FlipImageTransform;
import org.junit.jupiter.api.Test;

/** The optional steps describe themselves stably, and the decoder is part of a chain's identity. */
class DataVecCacheKeyTest {
  @Test
  void theOpenCvDecoderChangesTheKey() {
    Transform<?, ?> imageIo = Images.decode(3).andThen(Images.resize(8, 8));
    Transform<?, ?> openCv = Images.decode(3).jpegDecoder(JpegDecoder.OPENCV).andThen(Images.resize(8, 8));
    assertEquals("decode(3 channels, jpeg by opencv) -> resize(8x8, bilinear)", openCv.toString());
    assertNotEquals(Transforms.cacheKey(imageIo), Transforms.cacheKey(openCv));
  }

  @Test
  void aDataVecStepIsDescribedByItsDescription() {
    Transform<Image, Image> flip = DataVecImages.dataVec("flip", () -> new FlipImageTransform(1));
    assertEquals("dataVec(flip)", flip.toString());
    assertEquals(64, Transforms.cacheKey(flip).length());
    assertEquals(Transforms.cacheKey(flip), Transforms.cacheKey(DataVecImages.dataVec("flip",
        () -> new FlipImageTransform(1))));
  }
}
