package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static io.sluice.transforms.TestImages.encode;
import static io.sluice.transforms.TestImages.exifOrientation;
import static io.sluice.transforms.TestImages.fillSamples;
import static io.sluice.transforms.TestImages.jpeg;
import static io.sluice.transforms.TestImages.photo;
import static io.sluice.transforms.TestImages.resource;
import static io.sluice.transforms.TestImages.rgb;
import static io.sluice.transforms.TestImages.samples;
import static io.sluice.transforms.TestImages.stored;
import static io.sluice.transforms.TestImages.withSegment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Formats and color spaces beyond the basics of {@link DecodeTest}. Lossless formats (BMP, GIF, PNG) are
 * checked exactly; JPEG fast paths are checked bit for bit against javax.imageio's own {@code read()}; CMYK
 * and YCCK JPEGs (quality 100, no subsampling) within 2 levels of the exact conversion of their stored values.
 */
class DecodeFormatsTest {
  private static final int CMYK_TOLERANCE = 2;

  private static Image decode(int channels, byte[] bytes) {
    return Images.decode(channels).apply(stored(bytes), CONTEXT);
  }

  @Test
  void bmp24Bit() {
    byte[] bmp = encode(rgb(3, 2,
        255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255,
        1, 2, 3, /**/ 200, 100, 50, /**/ 90, 90, 90), "bmp");
    assertEquals('B', bmp[0]);
    assertArrayEquals(new int[] {
        255, 0, 0, /**/ 0, 255, 0, /**/ 0, 0, 255,
        1, 2, 3, /**/ 200, 100, 50, /**/ 90, 90, 90,
    }, samples(decode(3, bmp)));
    assertArrayEquals(new int[] {76, 150, 29, 2, 124, 90}, samples(decode(1, bmp)));
  }

  @Test
  void bmpGray8Bit() {
    BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
    fillSamples(image, 0, 17, 128, 255);
    byte[] bmp = encode(image, "bmp");
    assertArrayEquals(new int[] {0, 17, 128, 255}, samples(decode(1, bmp)));
  }

  @Test
  void gifFirstFrameOfAnAnimation() throws IOException {
    byte[] reds = {(byte) 255, 0, 0, (byte) 255, 9};
    byte[] greens = {0, (byte) 255, 0, (byte) 255, 9};
    byte[] blues = {0, 0, (byte) 255, (byte) 255, 9};
    java.awt.image.IndexColorModel palette = new java.awt.image.IndexColorModel(8, 5, reds, greens, blues);
    // 8x8 frames (javax.imageio's GIF writer garbles frames smaller than its interlace passes).
    BufferedImage first = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, palette);
    BufferedImage second = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, palette);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        first.getRaster().setSample(x, y, 0, (y / 4) * 2 + x / 4);
        second.getRaster().setSample(x, y, 0, 4);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      writer.writeToSequence(new IIOImage(first, null, null), null);
      writer.writeToSequence(new IIOImage(second, null, null), null);
      writer.endWriteSequence();
    }
    byte[] gif = out.toByteArray();
    assertEquals("GIF89a", new String(gif, 0, 6, StandardCharsets.US_ASCII));
    Image rgb = decode(3, gif);
    Image gray = decode(1, gif);
    assertEquals(8, rgb.width());
    int[][] expected = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    int[] luma = {76, 150, 29, 255};
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        int block = (y / 4) * 2 + x / 4;
        for (int c = 0; c < 3; c++) {
          assertEquals(expected[block][c], rgb.get(x, y, c), "x=" + x + " y=" + y + " c=" + c);
        }
        assertEquals(luma[block], gray.get(x, y, 0));
      }
    }
  }

  @Test
  void cmykJpegWithAdobeMarker() {
    assertCmykBlocks(resource("cmyk-adobe.jpg"));
  }

  @Test
  void ycckJpegWithAdobeMarker() {
    assertCmykBlocks(resource("ycck-adobe.jpg"));
  }

  /**
   * The fixtures (see four-component-jpegs.c) hold four flat 8x8 blocks of stored (Adobe-inverted) CMYK:
   * (255, 255, 255, 255), (200, 100, 50, 220), (30, 240, 128, 255), (128, 128, 128, 64). RGB is
   * {@code stored C * stored K / 255} and so on.
   */
  private static void assertCmykBlocks(byte[] jpeg) {
    Image rgb = decode(3, jpeg);
    assertEquals(16, rgb.width());
    assertEquals(16, rgb.height());
    int[][] expected = {
        {255, 255, 255}, // white
        {173, 86, 43}, // 200 * 220 / 255 = 172.5, 100 * 220 / 255 = 86.3, 50 * 220 / 255 = 43.1
        {30, 240, 128}, // K = 255: C, M, Y as stored
        {32, 32, 32}, // 128 * 64 / 255 = 32.1
    };
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        int block = (y / 8) * 2 + x / 8;
        for (int c = 0; c < 3; c++) {
          int v = rgb.get(x, y, c);
          assertTrue(Math.abs(v - expected[block][c]) <= CMYK_TOLERANCE,
              "pixel (" + x + ", " + y + ") channel " + c + ": " + v + " vs " + expected[block][c]);
        }
      }
    }
    Image gray = decode(1, jpeg);
    assertEquals(Grayscale.luma(rgb.get(12, 3, 0), rgb.get(12, 3, 1), rgb.get(12, 3, 2)), gray.get(12, 3, 0));
  }

  @ParameterizedTest(name = "progressive {0}")
  @ValueSource(booleans = {false, true})
  void photoJpegIsBitForBitWhatImageIoReads(boolean progressive) throws IOException {
    byte[] bytes = jpeg(photo(7, 123, 77, 20), 0.9f, progressive);
    Image ours = decode(3, bytes);
    Image reference = RasterPixels.copy(referenceRead(bytes), 3);
    assertEquals(0, TestImages.maxDifference(reference, ours));
  }

  @Test
  void grayJpegIsBitForBitWhatImageIoReads() throws IOException {
    BufferedImage gray = new BufferedImage(37, 21, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage source = photo(3, 37, 21, 10);
    gray.getGraphics().drawImage(source, 0, 0, null);
    byte[] bytes = jpeg(gray, 0.8f, false);
    Image ours = decode(1, bytes);
    assertArrayEquals(samples(RasterPixels.copy(referenceRead(bytes), 1)), samples(ours));
    Image three = decode(3, bytes);
    for (int i = 0; i < ours.pixels().length; i++) {
      assertEquals(ours.pixels()[i], three.pixels()[3 * i]);
      assertEquals(ours.pixels()[i], three.pixels()[3 * i + 2]);
    }
  }

  @Test
  void embeddedColorProfileIsIgnored() throws IOException {
    // The same pixels with and without a (linear RGB) profile decode to the same samples.
    BufferedImage image = photo(11, 40, 30, 15);
    byte[] plain = jpeg(image, 0.9f, false);
    byte[] profiled = withSegment(plain, 0xE2, iccSegment(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB)));
    JpegHeader header = JpegHeader.parse(profiled);
    assertTrue(header.icc);
    assertArrayEquals(decode(3, plain).pixels(), decode(3, profiled).pixels());
  }

  @Test
  void adobeRgbJpegWithAProfileIsReadAsStored() throws IOException {
    // A JPEG whose components are R, G, B themselves (Adobe transform 0), written by libjpeg through javax.imageio
    // with an Adobe marker; then a profile is added. Both decode to what javax.imageio reads without profile.
    BufferedImage image = photo(13, 32, 24, 10);
    byte[] ycc = jpeg(image, 0.95f, false);
    byte[] adobe = adobeRgb(image);
    JpegHeader header = JpegHeader.parse(adobe);
    org.junit.jupiter.api.Assumptions.assumeTrue(header.adobe && header.adobeTransform == 0,
        "javax.imageio wrote an Adobe RGB JPEG");
    Image plain = decode(3, adobe);
    Image profiled = decode(3, withSegment(adobe, 0xE2, iccSegment(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB))));
    assertArrayEquals(plain.pixels(), profiled.pixels());
    assertArrayEquals(samples(RasterPixels.copy(referenceRead(adobe), 3)), samples(plain));
    assertTrue(TestImages.maxDifference(plain, decode(3, ycc)) < 40, "the same picture");
  }

  @Test
  void unmarkedYCbCrJpegIsReadAsLibjpegReadsIt() throws IOException {
    // Without JFIF, Exif or Adobe markers and with all components sampled alike, javax.imageio guesses RGB;
    // libjpeg (and OpenCV, PIL) read YCbCr, as the encoder wrote. Decoding must follow libjpeg.
    BufferedImage image = photo(14, 40, 32, 10);
    byte[] marked = fullChroma(image);
    byte[] unmarked = withoutApp0(marked);
    JpegHeader header = JpegHeader.parse(unmarked);
    assertTrue(!header.jfif && !header.exif && !header.adobe, "no markers left");
    assertEquals(JpegHeader.ColorSpace.YCBCR, header.colorSpace());
    assertArrayEquals(decode(3, marked).pixels(), decode(3, unmarked).pixels());
  }

  /** {@code image} as a JFIF JPEG with 4:4:4 sampling (every component at full resolution). */
  private static byte[] fullChroma(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    javax.imageio.metadata.IIOMetadata metadata = writer.getDefaultImageMetadata(
        javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), param);
    String format = "javax_imageio_jpeg_image_1.0";
    javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) metadata.getAsTree(format);
    org.w3c.dom.NodeList specs = root.getElementsByTagName("componentSpec");
    for (int i = 0; i < specs.getLength(); i++) {
      javax.imageio.metadata.IIOMetadataNode spec = (javax.imageio.metadata.IIOMetadataNode) specs.item(i);
      spec.setAttribute("HsamplingFactor", "1");
      spec.setAttribute("VsamplingFactor", "1");
    }
    metadata.setFromTree(format, root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** {@code jpeg} without its APP0 (JFIF) segment, which must follow the start-of-image marker. */
  private static byte[] withoutApp0(byte[] jpeg) {
    assertEquals(0xE0, jpeg[3] & 0xFF, "APP0 first");
    int length = (jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(jpeg, 4 + length, jpeg.length - 4 - length);
    return out.toByteArray();
  }

  /** {@code image} as a JPEG whose components are R, G, B (Adobe transform 0), via javax.imageio metadata. */
  private static byte[] adobeRgb(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    javax.imageio.metadata.IIOMetadata metadata = writer.getDefaultImageMetadata(
        javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), param);
    String format = "javax_imageio_jpeg_image_1.0";
    javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) metadata.getAsTree(format);
    javax.imageio.metadata.IIOMetadataNode jpegVariety = (javax.imageio.metadata.IIOMetadataNode)
        root.getElementsByTagName("JPEGvariety").item(0);
    while (jpegVariety.hasChildNodes()) {
      jpegVariety.removeChild(jpegVariety.getFirstChild()); // no JFIF marker
    }
    javax.imageio.metadata.IIOMetadataNode markers = (javax.imageio.metadata.IIOMetadataNode)
        root.getElementsByTagName("markerSequence").item(0);
    javax.imageio.metadata.IIOMetadataNode adobe = new javax.imageio.metadata.IIOMetadataNode("app14Adobe");
    adobe.setAttribute("transform", "0");
    markers.insertBefore(adobe, markers.getFirstChild());
    metadata.setFromTree(format, root);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static byte[] iccSegment(ICC_Profile profile) {
    byte[] data = profile.getData();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
    out.write(1); // chunk 1
    out.write(1); // of 1
    out.writeBytes(data);
    assertTrue(out.size() < 65533, "profile fits in one segment");
    return out.toByteArray();
  }

  @Test
  void exifOrientationIsIgnoredByDefault() {
    byte[] bytes = withSegment(jpeg(photo(1, 6, 4, 0), 1f, false), 0xE1, exifOrientation(6, false));
    Image image = decode(3, bytes);
    assertEquals(6, image.width());
    assertEquals(4, image.height());
  }

  /**
   * A 3x2 picture whose pixels are far apart (JPEG at quality 1.0 keeps them within a few levels), stored
   * under each orientation: decoding with the orientation applied must give the upright picture's layout.
   */
  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void exifOrientationTurnsThePictureUpright(int orientation) throws IOException {
    // Stored pixels, as letters: a b c / d e f, 16x16 blocks so JPEG keeps them flat.
    int[][] colors = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}, {0, 255, 255}, {255, 0, 255}};
    BufferedImage stored = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 48; x++) {
        int[] c = colors[(y / 16) * 3 + x / 16];
        stored.setRGB(x, y, c[0] << 16 | c[1] << 8 | c[2]);
      }
    }
    for (boolean little : new boolean[] {false, true}) {
      byte[] bytes = withSegment(jpeg(stored, 1f, false), 0xE1, exifOrientation(orientation, little));
      assertEquals(orientation, JpegHeader.parse(bytes).orientation);
      Image upright = Images.decode(3).exifOrientation(true).apply(stored(bytes), CONTEXT);
      // Where each stored block lands (block column, block row) in the shown picture, as PIL's exif_transpose.
      int shownColumns = orientation >= 5 ? 2 : 3;
      int shownRows = orientation >= 5 ? 3 : 2;
      assertEquals(shownColumns * 16, upright.width());
      assertEquals(shownRows * 16, upright.height());
      for (int row = 0; row < 2; row++) {
        for (int column = 0; column < 3; column++) {
          int[] shown = shownBlock(orientation, column, row);
          int x = shown[0] * 16 + 8;
          int y = shown[1] * 16 + 8;
          int[] c = colors[row * 3 + column];
          for (int k = 0; k < 3; k++) {
            assertTrue(Math.abs(upright.get(x, y, k) - c[k]) <= 3,
                "orientation " + orientation + ": stored block (" + column + ", " + row + ") at shown (" + shown[0]
                    + ", " + shown[1] + ") channel " + k + " is " + upright.get(x, y, k));
          }
        }
      }
    }
  }

  /** The block position (column, row) of stored block (column, row) of a 3x2 picture once oriented. */
  private static int[] shownBlock(int orientation, int column, int row) {
    return switch (orientation) {
      case 1 -> new int[] {column, row};
      case 2 -> new int[] {2 - column, row}; // mirrored left to right
      case 3 -> new int[] {2 - column, 1 - row}; // rotated 180
      case 4 -> new int[] {column, 1 - row}; // mirrored top to bottom
      case 5 -> new int[] {row, column}; // transposed
      case 6 -> new int[] {1 - row, column}; // rotated 90 clockwise: stored top row becomes the right column
      case 7 -> new int[] {1 - row, 2 - column}; // transversed
      case 8 -> new int[] {row, 2 - column}; // rotated 90 counter-clockwise: stored top row becomes the left column
      default -> throw new IllegalArgumentException();
    };
  }

  @Test
  void malformedExifIsIgnored() {
    byte[] base = jpeg(photo(2, 8, 8, 0), 0.9f, false);
    byte[] truncated = Arrays.copyOf(exifOrientation(6, true), 14);
    byte[] bytes = withSegment(base, 0xE1, truncated);
    Image image = Images.decode(3).exifOrientation(true).apply(stored(bytes), CONTEXT);
    assertEquals(8, image.width());
  }

  @Test
  void jpegHeaderDeclaringTooManyPixelsIsRefusedBeforeDecoding() {
    // SOI, then a baseline frame header claiming 60000x60000 and nothing else: no pixel data at all.
    byte[] header = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 17, 8, (byte) 0xEA, 0x60,
        (byte) 0xEA, 0x60, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, (byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0, 2, 0x11,
        3, 0x11, 0, 63, 0};
    SluiceException e = assertThrows(SluiceException.class, () -> decode(3, header));
    assertEquals("cannot decode " + KEY + ": 60000x60000 is 3600000000 pixels, more than the limit of 100000000",
        e.getMessage());
    SluiceException small = assertThrows(SluiceException.class,
        () -> Images.decode(3).maxPixels(10).apply(stored(jpeg(photo(1, 4, 3, 0), 0.9f, false)), CONTEXT));
    assertEquals("cannot decode " + KEY + ": 4x3 is 12 pixels, more than the limit of 10", small.getMessage());
  }

  @Test
  void gifAndBmpHeadersDeclaringTooManyPixelsAreRefused() {
    // GIF logical screen and first image 40000x40000, no pixel data.
    byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 0x40, (byte) 0x9C, 0x40, (byte) 0x9C, 0, 0, 0,
        0x2C, 0, 0, 0, 0, 0x40, (byte) 0x9C, 0x40, (byte) 0x9C, 0, 8};
    assertTrue(assertThrows(SluiceException.class, () -> decode(3, gif)).getMessage()
        .endsWith("40000x40000 is 1600000000 pixels, more than the limit of 100000000"));
    // BMP with a BITMAPINFOHEADER for 30000x30000 at 24 bits, no pixel data.
    byte[] bmp = new byte[54];
    bmp[0] = 'B';
    bmp[1] = 'M';
    bmp[10] = 54;
    bmp[14] = 40;
    int[] le = {0x30, 0x75, 0, 0}; // 30000
    System.arraycopy(new byte[] {(byte) le[0], (byte) le[1], 0, 0}, 0, bmp, 18, 4);
    System.arraycopy(new byte[] {(byte) le[0], (byte) le[1], 0, 0}, 0, bmp, 22, 4);
    bmp[26] = 1;
    bmp[28] = 24;
    assertEquals("cannot decode " + KEY + ": 30000x30000 is 900000000 pixels, more than the limit of 100000000",
        assertThrows(SluiceException.class, () -> decode(3, bmp)).getMessage());
  }

  @Test
  void pngNamedJpegDecodesAsPng() {
    byte[] png = encode(rgb(1, 1, 10, 20, 30), "png");
    Image image = Images.decode(3).apply(new io.sluice.loader.store.StoredObject("s3://b/n01440764/x.JPEG", png,
        null, null), CONTEXT);
    assertArrayEquals(new int[] {10, 20, 30}, samples(image));
  }

  /** What javax.imageio's JDK JPEG reader gives through its ordinary {@code read()}. */
  static BufferedImage referenceRead(byte[] bytes) throws IOException {
    ImageIoReaders.Reader reader = ImageIoReaders.get("jpeg");
    try {
      reader.start(bytes);
      return reader.reader.read(0);
    } finally {
      reader.finish();
    }
  }
}
