package io.sluice.transforms;

import static io.sluice.transforms.TestImages.context;
import static io.sluice.transforms.TestImages.encode;
import static io.sluice.transforms.TestImages.jpeg;
import static io.sluice.transforms.TestImages.photo;
import static io.sluice.transforms.TestImages.resource;
import static io.sluice.transforms.TestImages.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.libjpeg.LibjpegTurboJpeg;
import io.sluice.transforms.libjpeg.LibjpegTurboJpeg.SelfCheck;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link JpegDecoder#LIBJPEG_TURBO}: a crop decodes only its window, bit for bit what a whole decode then the crop
 * gives; reduced decodes are done in the DCT domain and look like the full image reduced.
 */
class LibjpegTurboCodecTest {
  @BeforeAll
  static void available() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("sluice.libjpeg.built"),
        "built without the native library");
    assertTrue(JpegDecoder.LIBJPEG_TURBO.available(), JpegDecoder.LIBJPEG_TURBO::problem);
  }

  @Test
  void aCropDecodesItsWindowBitForBit() throws IOException {
    List<byte[]> objects = List.of(
        jpeg(photo(1, 200, 150, 30), 0.9f, false),
        jpeg(photo(2, 151, 203, 30), 0.75f, true),
        SelfCheck.encode(photo(3, 181, 133, 30), 0.85f, new int[][] {{1, 2}, {1, 1}, {1, 1}}, false, 0),
        SelfCheck.encode(photo(4, 170, 120, 30), 0.85f, new int[][] {{2, 1}, {1, 1}, {1, 1}}, true, 0),
        jpeg(gray(photo(5, 120, 90, 10)), 0.9f, false),
        resource("ycck-adobe.jpg"), // not gray or YCbCr: javax.imageio decodes it
        encode(photo(6, 90, 70, 5), "png"));
    List<Transform<Image, Image>> crops = List.of(Images.randomResizedCrop(32),
        Images.randomResizedCrop(40, 24, 0.2, 0.9, 0.5, 2, Interpolation.AREA), Images.centerCrop(64));
    Transform<Image, Image> opaque = (image, context) -> image; // hides the crop from the decode: no fusion
    int compared = 0;
    for (Transform<Image, Image> crop : crops) {
      for (int channels : new int[] {1, 3}) {
        DecodeTransform decode = Images.decode(channels).jpegDecoder(JpegDecoder.LIBJPEG_TURBO);
        Transform<StoredObject, Image> fused = decode.andThen(crop);
        assertInstanceOf(DecodeThenCrop.class, fused);
        Transform<StoredObject, Image> reference = decode.andThen(opaque).andThen(crop);
        for (byte[] bytes : objects) {
          for (int sample = 0; sample < 20; sample++) {
            SampleContext a = context(7, sample);
            SampleContext b = context(7, sample);
            assertEquals(reference.apply(stored(bytes), a), fused.apply(stored(bytes), b),
                crop + ", " + channels + " channels, sample " + sample);
            assertEquals(a.random().nextLong(), b.random().nextLong(), "the same draws were made");
            compared++;
          }
        }
      }
    }
    assertEquals(3 * 2 * 7 * 20, compared);
  }

  @Test
  void fullSizeIsImageIosWhereTheyShareTheLibrary() {
    org.junit.jupiter.api.Assumptions.assumeTrue(LibjpegTurboJpeg.sharesImageIosLibrary(),
        "this JDK's javax.imageio bundles its own libjpeg");
    for (byte[] bytes : List.of(jpeg(photo(8, 333, 251, 30), 0.9f, false), jpeg(photo(9, 64, 48, 30), 0.8f, true))) {
      Image turbo = Images.decode(3).jpegDecoder(JpegDecoder.LIBJPEG_TURBO).apply(stored(bytes), context(1, 0));
      Image imageIo = Images.decode(3).jpegDecoder(JpegDecoder.IMAGE_IO).apply(stored(bytes), context(1, 0));
      assertEquals(imageIo, turbo);
    }
  }

  @Test
  void reducedInTheDctDomain() {
    byte[] bytes = jpeg(photo(10, 640, 480, 20), 0.9f, false);
    for (int[] minimum : new int[][] {{300, 200, 2}, {160, 120, 4}, {70, 50, 8}}) {
      Image turbo = Images.decode(3).jpegDecoder(JpegDecoder.LIBJPEG_TURBO).minimumSize(minimum[0], minimum[1])
          .apply(stored(bytes), context(1, 0));
      Image averaged = Images.decode(3).minimumSize(minimum[0], minimum[1]).apply(stored(bytes), context(1, 0));
      int n = minimum[2];
      assertEquals(640 / n, turbo.width());
      assertEquals(480 / n, turbo.height());
      // the same picture: DCT scaling and block averaging differ by a few levels
      double mean = TestImages.meanDifference(averaged, turbo);
      assertTrue(mean < 2.5, "1/" + n + ": mean difference " + mean);
    }
  }

  @Test
  void damagedDataIsAKeyedError() {
    byte[] bytes = jpeg(photo(11, 200, 150, 30), 0.9f, false);
    byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
    Transform<StoredObject, Image> decode = Images.decode(3).jpegDecoder(JpegDecoder.LIBJPEG_TURBO);
    for (Transform<StoredObject, Image> chain : List.of(decode, decode.andThen(Images.randomResizedCrop(32)))) {
      SluiceException e = assertThrows(SluiceException.class, () -> chain.apply(stored(truncated), context(1, 0)));
      assertTrue(e.getMessage().contains(TestImages.KEY) && e.getMessage().contains("truncated or corrupt jpeg"),
          e.getMessage());
    }
  }

  private static BufferedImage gray(BufferedImage color) {
    BufferedImage gray = new BufferedImage(color.getWidth(), color.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(color, 0, 0, null);
    return gray;
  }
}
