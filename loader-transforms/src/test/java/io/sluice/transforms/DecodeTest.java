package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static io.sluice.transforms.TestImages.encode;
import static io.sluice.transforms.TestImages.fillSamples;
import static io.sluice.transforms.TestImages.rgb;
import static io.sluice.transforms.TestImages.samples;
import static io.sluice.transforms.TestImages.stored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Decoding PNGs and JPEGs written by javax.imageio in the test. PNG is lossless, so those checks are exact;
 * JPEG checks allow a few levels either way.
 */
class DecodeTest {
  /** How far a decoded flat-color JPEG may be from its color, in 8-bit levels. */
  private static final int JPEG_TOLERANCE = 3;

  private static Image decode(int channels, byte[] bytes) {
    return Images.decode(channels).apply(stored(bytes), CONTEXT);
  }

  private static SluiceException failure(byte[] bytes) {
    SluiceException e = assertThrows(SluiceException.class, () -> decode(3, bytes));
    assertEquals(KEY, e.key());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().startsWith("cannot decode " + KEY + ": "), e.getMessage());
    return e;
  }

  @Test
  void rgbPng() {
    byte[] png = encode(rgb(3, 2,
        255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255,
        0, 0, 250, /**/ 200, 100, 50, /**/ 90, 90, 90), "png");
    Image rgb = decode(3, png);
    assertEquals(3, rgb.width());
    assertEquals(2, rgb.height());
    assertEquals(3, rgb.channels());
    assertArrayEquals(new int[] {
        255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255,
        0, 0, 250, /**/ 200, 100, 50, /**/ 90, 90, 90,
    }, samples(rgb));
    assertEquals(200, rgb.get(1, 1, 0));

    Image gray = decode(1, png);
    assertEquals(1, gray.channels());
    // round(0.299 R + 0.587 G + 0.114 B), halves up: 76.245, 149.685, 29.07 / 28.5, 124.2, 90
    assertArrayEquals(new int[] {76, 150, 29, 29, 124, 90}, samples(gray));
  }

  @Test
  void grayPng() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    fillSamples(image, 0, 64, 128, 255);
    byte[] png = encode(image, "png");
    // Samples as stored: no linear-gray-to-sRGB brightening as BufferedImage.getRGB would apply.
    assertArrayEquals(new int[] {0, 64, 128, 255}, samples(decode(1, png)));
    assertArrayEquals(new int[] {0, 0, 0, 64, 64, 64, 128, 128, 128, 255, 255, 255}, samples(decode(3, png)));
  }

  @Test
  void sixteenBitGrayPng() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
    fillSamples(image, 0, 385, 386, 65535);
    byte[] png = encode(image, "png");
    // round(v / 257): 0, 1.498 -> 1, 1.502 -> 2, 255
    assertArrayEquals(new int[] {0, 1, 2, 255}, samples(decode(1, png)));
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 255, 255, 255}, samples(decode(3, png)));
  }

  @Test
  void sixteenBitRgbPng() {
    ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {65535, 0, 385});
    raster.setPixel(1, 0, new int[] {386, 25700, 32896});
    byte[] png = encode(new BufferedImage(model, raster, false, null), "png");
    // round(v / 257): 255, 0, 1 / 2, 100, 128 (32896 / 257 = 128.0)
    assertArrayEquals(new int[] {255, 0, 1, 2, 100, 128}, samples(decode(3, png)));
    // luma(255, 0, 1) = 76.359, luma(2, 100, 128) = 0.598 + 58.7 + 14.592 = 73.89
    assertArrayEquals(new int[] {76, 74}, samples(decode(1, png)));
  }

  @Test
  void rgbaPngDropsAlpha() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x80FF0000); // half-transparent red
    image.setRGB(1, 0, 0x00112233); // fully transparent, color kept
    byte[] png = encode(image, "png");
    assertArrayEquals(new int[] {255, 0, 0, 0x11, 0x22, 0x33}, samples(decode(3, png)));
    // 76.245; 0.299 * 17 + 0.587 * 34 + 0.114 * 51 = 30.855
    assertArrayEquals(new int[] {76, 31}, samples(decode(1, png)));
  }

  @Test
  void palettePng() {
    IndexColorModel palette = new IndexColorModel(8, 3,
        new byte[] {(byte) 255, 0, 7}, new byte[] {0, (byte) 128, 7}, new byte[] {0, (byte) 255, 7});
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
    fillSamples(image, 2, 0, 1);
    byte[] png = encode(image, "png");
    assertArrayEquals(new int[] {7, 7, 7, 255, 0, 0, 0, 128, 255}, samples(decode(3, png)));
    // 7; 76.245; 0.587 * 128 + 0.114 * 255 = 104.206
    assertArrayEquals(new int[] {7, 76, 104}, samples(decode(1, png)));
  }

  @Test
  void twoBitGrayPng() {
    byte[] levels = {0, 85, (byte) 170, (byte) 255};
    IndexColorModel grays = new IndexColorModel(2, 4, levels, levels, levels);
    BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, grays);
    fillSamples(image, 3, 2, 1, 0);
    byte[] png = encode(image, "png");
    assertArrayEquals(new int[] {255, 170, 85, 0}, samples(decode(1, png)));
    assertArrayEquals(new int[] {255, 255, 255, 170, 170, 170, 85, 85, 85, 0, 0, 0}, samples(decode(3, png)));
  }

  @Test
  void flatColorJpeg() {
    int[] triples = new int[16 * 16 * 3];
    for (int i = 0; i < triples.length; i += 3) {
      triples[i] = 200;
      triples[i + 1] = 100;
      triples[i + 2] = 50;
    }
    byte[] jpeg = encode(rgb(16, 16, triples), "jpeg");
    Image rgb = decode(3, jpeg);
    assertEquals(16, rgb.width());
    assertEquals(16, rgb.height());
    int[] expected = {200, 100, 50};
    for (int i = 0; i < 16 * 16 * 3; i++) {
      assertNear(expected[i % 3], rgb.pixels()[i] & 0xFF, "sample " + i);
    }
    Image gray = decode(1, jpeg);
    for (int i = 0; i < 16 * 16; i++) {
      assertNear(124, gray.pixels()[i] & 0xFF, "pixel " + i); // 59.8 + 58.7 + 5.7 = 124.2
    }
  }

  @Test
  void flatGrayJpeg() {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    int[] samples = new int[64];
    Arrays.fill(samples, 90);
    fillSamples(image, samples);
    byte[] jpeg = encode(image, "jpeg");
    for (int v : samples(decode(1, jpeg))) {
      assertNear(90, v, "gray");
    }
    for (int v : samples(decode(3, jpeg))) {
      assertNear(90, v, "gray replicated");
    }
  }

  @Test
  void jpegPixelsMatchTheRasterImageIoDecodes() throws IOException {
    byte[] jpeg = encode(gradient(), "jpeg");
    Raster reference = ImageIO.read(new ByteArrayInputStream(jpeg)).getRaster();
    Image rgb = decode(3, jpeg);
    Image gray = decode(1, jpeg);
    int[] pixel = new int[3];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        reference.getPixel(x, y, pixel);
        for (int c = 0; c < 3; c++) {
          assertEquals(pixel[c], rgb.get(x, y, c));
        }
        assertEquals(Grayscale.luma(pixel[0], pixel[1], pixel[2]), gray.get(x, y, 0));
      }
    }
  }

  @Test
  void emptyObject() {
    assertEquals("cannot decode " + KEY + ": the object is empty (0 bytes)", failure(new byte[0]).getMessage());
  }

  @Test
  void unrecognisedBytesAreShown() {
    assertEquals("cannot decode " + KEY + ": not a recognised image (first bytes 68 65 6c 6c 6f 2c 20 77 ..)",
        failure("hello, world".getBytes(StandardCharsets.US_ASCII)).getMessage());
    assertEquals("cannot decode " + KEY + ": not a recognised image (first bytes ff d8)",
        failure(new byte[] {(byte) 0xFF, (byte) 0xD8}).getMessage());
    assertEquals("cannot decode " + KEY + ": not a recognised image (first bytes 00 00 00 00 00 00 00 00 ..)",
        failure(new byte[64]).getMessage());
  }

  @Test
  void garbageAfterAJpegSignature() {
    byte[] bytes = new byte[200];
    Arrays.fill(bytes, (byte) 0x5A);
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xD8;
    bytes[2] = (byte) 0xFF;
    assertInstanceOf(IOException.class, failure(bytes).getCause());
  }

  @Test
  void jpegTruncatedInItsHeader() {
    byte[] jpeg = encode(gradient(), "jpeg");
    assertInstanceOf(IOException.class, failure(Arrays.copyOf(jpeg, 20)).getCause());
  }

  @Test
  void jpegTruncatedInItsPixelData() {
    // javax.imageio fills in the missing part and only warns: that must not pass as a good image.
    byte[] jpeg = encode(gradient(), "jpeg");
    String message = failure(Arrays.copyOf(jpeg, jpeg.length * 3 / 4)).getMessage();
    assertTrue(message.startsWith("cannot decode " + KEY + ": truncated or corrupt jpeg data ("), message);
  }

  @Test
  void pngTruncatedInItsPixelData() {
    byte[] png = encode(gradient(), "png");
    SluiceException e = failure(Arrays.copyOf(png, png.length / 2));
    assertTrue(e.getMessage().contains("PNG"), e.getMessage());
    assertInstanceOf(IOException.class, e.getCause());
  }

  @Test
  void tooManyPixels() {
    byte[] png = encode(new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_GRAY), "png");
    SluiceException e = assertThrows(SluiceException.class,
        () -> Images.decode(1, 9_999).apply(stored(png), CONTEXT));
    assertEquals("cannot decode " + KEY + ": 100x100 is 10000 pixels, more than the limit of 9999", e.getMessage());
    assertEquals(KEY, e.key());
    assertEquals(100, Images.decode(1, 10_000).apply(stored(png), CONTEXT).width());
  }

  @Test
  void tooManyPixelsIsFoundFromTheHeaderAlone() throws IOException {
    // A PNG that is nothing but a header claiming 50000x50000: decoding any pixel would fail differently.
    assertEquals("cannot decode " + KEY + ": 50000x50000 is 2500000000 pixels, more than the limit of 100000000",
        failure(pngHeader(50_000, 50_000)).getMessage());
  }

  @Test
  void isAValueWithAReadableName() {
    assertEquals("decode(3 channels)", Images.decode(3).toString());
    assertEquals("decode(1 channel, at most 1000 pixels)", Images.decode(1, 1000).toString());
    assertEquals(Images.decode(3), Images.decode(3, Images.DEFAULT_MAX_PIXELS));
    assertEquals(Images.decode(3).hashCode(), Images.decode(3, Images.DEFAULT_MAX_PIXELS).hashCode());
    assertNotEquals(Images.decode(3), Images.decode(1));
    assertNotEquals(Images.decode(3), Images.decode(3, 1000));
  }

  @Test
  void settingsAreImmutableCopiesWithReadableNames() {
    DecodeTransform base = Images.decode(3);
    DecodeTransform configured = base.maxPixels(1000).exifOrientation(true).minimumSize(64, 48);
    assertEquals("decode(3 channels)", base.toString());
    assertEquals("decode(3 channels, at most 1000 pixels, exif orientation, at least 64x48)", configured.toString());
    assertEquals(configured, Images.decode(3).minimumSize(64, 48).exifOrientation(true).maxPixels(1000));
    assertNotEquals(base, configured);
    assertNotEquals(base, base.exifOrientation(true));
    assertEquals(base, base.exifOrientation(false));
    assertEquals(Images.decode(), Images.decode(3));
    assertEquals(base, base.jpegDecoder(JpegDecoder.IMAGE_IO));
    assertEquals(JpegDecoder.IMAGE_IO, JpegDecoder.defaultDecoder());
    assertTrue(JpegDecoder.IMAGE_IO.available());
    assertEquals("minimum size must be positive: 0x5",
        assertThrows(IllegalArgumentException.class, () -> base.minimumSize(0, 5)).getMessage());
    assertEquals("maxPixels must be between 1 and 715827882 for 3 channels: -1",
        assertThrows(IllegalArgumentException.class, () -> base.maxPixels(-1)).getMessage());
    assertThrows(NullPointerException.class, () -> base.jpegDecoder(null));
  }

  @Test
  void rejectsBadSettingsNamingThem() {
    assertEquals("decode channels must be 1 or 3: 4",
        assertThrows(IllegalArgumentException.class, () -> Images.decode(4)).getMessage());
    assertEquals("decode channels must be 1 or 3: 0",
        assertThrows(IllegalArgumentException.class, () -> Images.decode(0, 100)).getMessage());
    assertEquals("maxPixels must be between 1 and 715827882 for 3 channels: 0",
        assertThrows(IllegalArgumentException.class, () -> Images.decode(3, 0)).getMessage());
    assertEquals("maxPixels must be between 1 and 715827882 for 3 channels: 2147483647",
        assertThrows(IllegalArgumentException.class, () -> Images.decode(3, Integer.MAX_VALUE)).getMessage());
    assertEquals("decode(1 channel, at most 2147483647 pixels)", Images.decode(1, Integer.MAX_VALUE).toString());
  }

  private static void assertNear(int expected, int actual, String what) {
    assertTrue(Math.abs(expected - actual) <= JPEG_TOLERANCE,
        what + ": expected " + expected + " +/- " + JPEG_TOLERANCE + " but was " + actual);
  }

  /** A 64x64 image with detail in every block, so its JPEG has substantial pixel data. */
  private static BufferedImage gradient() {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x ^ y) * 4 & 0xFF));
      }
    }
    return image;
  }

  /** The PNG signature and a valid IHDR chunk for an 8-bit RGB image, and nothing else. */
  private static byte[] pngHeader(int width, int height) throws IOException {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(chunk);
    data.writeBytes("IHDR");
    data.writeInt(width);
    data.writeInt(height);
    data.writeByte(8); // bit depth
    data.writeByte(2); // color type: RGB
    data.writeByte(0); // compression
    data.writeByte(0); // filter
    data.writeByte(0); // interlace
    byte[] typeAndData = chunk.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(typeAndData);

    ByteArrayOutputStream file = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(file);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    out.writeInt(typeAndData.length - 4);
    out.write(typeAndData);
    out.writeInt((int) crc.getValue());
    return file.toByteArray();
  }
}
