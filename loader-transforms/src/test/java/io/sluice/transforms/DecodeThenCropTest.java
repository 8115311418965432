package io.sluice.transforms;

import static io.sluice.transforms.TestImages.KEY;
import static io.sluice.transforms.TestImages.context;
import static io.sluice.transforms.TestImages.encode;
import static io.sluice.transforms.TestImages.jpeg;
import static io.sluice.transforms.TestImages.photo;
import static io.sluice.transforms.TestImages.resource;
import static io.sluice.transforms.TestImages.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code decode.andThen(crop)} is one fused step that decodes only what the crop needs. Exact: its output
 * must be bit for bit that of decoding in full and then cropping, with the same random draws.
 */
class DecodeThenCropTest {

  /** The unfused chain: a decode, a step that hides the crop's type, then the crop. */
  private static Transform<StoredObject, Image> unfused(DecodeTransform decode, Transform<Image, Image> crop) {
    Transform<Image, Image> opaque = (image, context) -> image;
    return decode.andThen(opaque).andThen(crop);
  }

  private static final List<Transform<Image, Image>> CROPS = List.of(
      Images.randomResizedCrop(32),
      Images.randomResizedCrop(40, 24, 0.2, 0.9, 0.5, 2, Interpolation.AREA),
      Images.randomCrop(50, 30),
      Images.centerCrop(64),
      Images.centerCrop(300, 20)); // wider than the image: padded

  @Test
  void fusedIsBitForBitDecodeThenCrop() {
    List<byte[]> objects = List.of(
        jpeg(photo(1, 200, 150, 30), 0.9f, false),
        jpeg(photo(2, 151, 203, 30), 0.75f, true),
        jpeg(gray(photo(3, 120, 90, 10)), 0.9f, false),
        resource("ycck-adobe.jpg"),
        encode(photo(4, 90, 70, 5), "png"));
    for (Transform<Image, Image> crop : CROPS) {
      for (int channels : new int[] {1, 3}) {
        DecodeTransform decode = Images.decode(channels);
        Transform<StoredObject, Image> fused = decode.andThen(crop);
        assertInstanceOf(DecodeThenCrop.class, fused);
        Transform<StoredObject, Image> reference = unfused(decode, crop);
        for (byte[] bytes : objects) {
          if (bytes.length < 1000 && crop.toString().startsWith("randomCrop")) {
            continue; // the 16x16 fixture is smaller than the crop
          }
          for (int sample = 0; sample < 20; sample++) {
            SampleContext a = context(99, sample);
            SampleContext b = context(99, sample);
            Image expected = reference.apply(stored(bytes), a);
            Image actual = fused.apply(stored(bytes), b);
            assertEquals(expected, actual, crop + ", " + channels + " channels, sample " + sample);
            assertEquals(a.random().nextLong(), b.random().nextLong(), "the same draws were made");
          }
        }
      }
    }
  }

  @Test
  void aFlipAfterACropJoinsItBitForBit() {
    byte[] bytes = jpeg(photo(12, 180, 140, 30), 0.9f, false);
    Transform<Image, Image> opaque = (image, context) -> image;
    for (Transform<Image, Image> crop : CROPS) {
      Transform<StoredObject, Image> fused = Images.decode(3).andThen(crop).andThen(Images.horizontalFlip(0.5));
      Transform<StoredObject, Image> reference = Images.decode(3).andThen(opaque).andThen(crop).andThen(opaque)
          .andThen(Images.horizontalFlip(0.5));
      Transform<Image, Image> fusedOnImages = crop.andThen(Images.horizontalFlip(0.5));
      assertInstanceOf(FlippedWindowStep.class, fusedOnImages);
      Image decoded = Images.decode(3).apply(stored(bytes), context(1, 1));
      for (int sample = 0; sample < 30; sample++) {
        Image expected = reference.apply(stored(bytes), context(4, sample));
        assertEquals(expected, fused.apply(stored(bytes), context(4, sample)), crop + " sample " + sample);
        assertEquals(crop.andThen(opaque).andThen(Images.horizontalFlip(0.5)).apply(decoded, context(4, sample)),
            fusedOnImages.apply(decoded, context(4, sample)));
      }
      assertEquals(reference.toString().replace(" -> " + opaque, ""), fused.toString());
    }
  }

  @Test
  void fusedPrintsAndComparesLikeTheChain() {
    Transform<StoredObject, Image> fused = Images.decode(3).andThen(Images.centerCrop(8));
    assertEquals("decode(3 channels) -> centerCrop(8x8)", fused.toString());
    assertEquals(fused, Images.decode(3).andThen(Images.centerCrop(8)));
    assertEquals(fused.hashCode(), Images.decode(3).andThen(Images.centerCrop(8)).hashCode());
    assertNotEquals(fused, Images.decode(3).andThen(Images.centerCrop(9)));
    assertNotEquals(fused, Images.decode(1).andThen(Images.centerCrop(8)));
  }

  @Test
  void truncationBelowTheCropIsStillRefused() {
    byte[] whole = jpeg(photo(5, 64, 256, 30), 0.9f, false);
    byte[] truncated = Arrays.copyOf(whole, whole.length * 2 / 3);
    // A crop at the very top needs none of the missing rows; the missing end-of-image marker gives it away.
    Transform<StoredObject, Image> full = Images.decode(3).andThen(Images.pad(0)).andThen(Images.centerCrop(8));
    Transform<StoredObject, Image> top = Images.decode(3).andThen(new TopCrop());
    assertEquals(8, top.apply(stored(whole), context(1, 1)).width());
    SluiceException e = assertThrows(SluiceException.class, () -> top.apply(stored(truncated), context(1, 1)));
    assertEquals("cannot decode " + KEY + ": truncated or corrupt jpeg data (no end-of-image marker)", e.getMessage());
    // Decoding in full sees the truncation as a decoder warning.
    assertTrue(assertThrows(SluiceException.class, () -> full.apply(stored(truncated), context(1, 1))).getMessage()
        .startsWith("cannot decode " + KEY + ": truncated or corrupt jpeg data ("));
  }

  @Test
  void trailingBytesAfterTheEndMarkerAreAcceptedAndTruncationStillFoundByWalkingTheScan() {
    byte[] whole = jpeg(photo(5, 64, 256, 30), 0.9f, false);
    Transform<StoredObject, Image> top = Images.decode(3).andThen(new TopCrop());
    // Padding after the end-of-image marker (some writers add it): the end is found by walking the scan.
    byte[] padded = Arrays.copyOf(whole, whole.length + 100);
    assertEquals(8, top.apply(stored(padded), context(1, 1)).width());
    // Cut just before the end marker: neither the fast path (last two bytes) nor the walk finds it.
    byte[] cut = Arrays.copyOf(whole, whole.length - 2);
    SluiceException e = assertThrows(SluiceException.class, () -> top.apply(stored(cut), context(1, 1)));
    assertEquals("cannot decode " + KEY + ": truncated or corrupt jpeg data (no end-of-image marker)", e.getMessage());
    // Cut one byte into the end marker: 0xFF alone at the end is not an end.
    byte[] half = Arrays.copyOf(whole, whole.length - 1);
    assertThrows(SluiceException.class, () -> top.apply(stored(half), context(1, 1)));
  }

  @Test
  void cropsOfOrientedOrReducedDecodesAreCroppedAfterwards() {
    byte[] bytes = TestImages.withSegment(jpeg(photo(6, 80, 60, 10), 0.9f, false), 0xE1,
        TestImages.exifOrientation(6, true));
    for (DecodeTransform decode : new DecodeTransform[] {
        Images.decode(3).exifOrientation(true), Images.decode(3).minimumSize(30, 20)}) {
      Transform<Image, Image> crop = Images.randomResizedCrop(16);
      for (int sample = 0; sample < 5; sample++) {
        assertEquals(unfused(decode, crop).apply(stored(bytes), context(3, sample)),
            decode.andThen(crop).apply(stored(bytes), context(3, sample)));
      }
    }
  }

  /** The top-left 8x8 window: needs only the first rows. */
  private static final class TopCrop implements WindowStep {
    @Override
    public Window window(int width, int height, SampleContext context) {
      return new Window(0, 0, 8, 8);
    }

    @Override
    public Image render(Image source, Window window, SampleContext context) {
      return Crops.copy(source, window, 0);
    }

    @Override
    public String toString() {
      return "topCrop";
    }
  }

  private static BufferedImage gray(BufferedImage color) {
    BufferedImage gray = new BufferedImage(color.getWidth(), color.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(color, 0, 0, null);
    return gray;
  }

  @Test
  void fusedStepSharesTheUnfusedRandomStream() {
    // The decode draws nothing; the crop draws exactly what it draws after a full decode.
    byte[] bytes = jpeg(photo(8, 100, 100, 20), 0.9f, false);
    SampleContext fused = context(5, 5);
    SampleContext plain = context(5, 5);
    Images.decode(3).andThen(Images.randomResizedCrop(10)).apply(stored(bytes), fused);
    Images.randomResizedCrop(10).apply(Images.decode(3).apply(stored(bytes), plain), plain);
    assertEquals(plain.random().nextLong(), fused.random().nextLong());
  }
}
