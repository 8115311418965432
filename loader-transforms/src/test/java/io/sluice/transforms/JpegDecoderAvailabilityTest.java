package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Without the optional loader-datavec module, ImageIO decodes and choosing OpenCV fails saying what to add. */
class JpegDecoderAvailabilityTest {
  @Test
  void imageIoIsAlwaysThereAndOpenCvNeedsLoaderDatavec() {
    assertTrue(JpegDecoder.IMAGE_IO.available());
    assertEquals(JpegDecoder.IMAGE_IO, JpegDecoder.defaultDecoder());
    assertFalse(JpegDecoder.OPENCV.available());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Images.decode(3).jpegDecoder(JpegDecoder.OPENCV));
    assertTrue(e.getMessage().contains("io.sluice:loader-datavec"), e.getMessage());
  }
}
