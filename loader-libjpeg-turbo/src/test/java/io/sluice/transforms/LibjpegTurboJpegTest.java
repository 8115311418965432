package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.transforms.libjpeg.LibjpegTurboJpeg;
import io.sluice.transforms.libjpeg.LibjpegTurboJpeg.SelfCheck;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The libjpeg-turbo accelerator gives javax.imageio's pixels bit for bit, for every window, on every kind of JPEG it
 * takes; refuses the kinds it does not; and fails on broken data exactly when javax.imageio's path does.
 */
class LibjpegTurboJpegTest {
  private static final LibjpegTurboJpeg ACCELERATOR = new LibjpegTurboJpeg();

  @BeforeAll
  static void nativeLibrary() {
    if (Boolean.getBoolean("sluice.libjpeg.built")) {
      assertNull(ACCELERATOR.problem(), "built with the native library, so it must load and pass its check");
      // every JDK's javax.imageio agrees on these (the tests turn it on where it is not by default); one that
      // calls the same library as this (Debian's, Ubuntu's) on all five
      List<String> agreeing = LibjpegTurboJpeg.sharesImageIosLibrary()
          ? List.of("gray", "4:4:4", "4:2:2", "4:4:0", "4:2:0") : List.of("gray", "4:4:4", "4:2:2", "4:2:0");
      assertTrue(LibjpegTurboJpeg.layouts().containsAll(agreeing), LibjpegTurboJpeg.layouts()::toString);
    } else {
      assertNotNull(ACCELERATOR.problem());
    }
    Assumptions.assumeTrue(ACCELERATOR.problem() == null, () -> "no native library here: " + ACCELERATOR.problem());
  }

  @Test
  void isTheInstalledAccelerator() {
    assertInstanceOf(LibjpegTurboJpeg.class, JpegAccelerator.installed());
  }

  @Test
  void everyWindowIsImageIosPixels() throws IOException {
    BufferedImage photo = TestImages.photo(11, 500, 375, 25);
    BufferedImage odd = TestImages.photo(12, 333, 251, 40);
    BufferedImage gray = new BufferedImage(277, 190, BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(TestImages.photo(13, 277, 190, 30), 0, 0, null);
    int[][] yuv444 = {{1, 1}, {1, 1}, {1, 1}};
    int[][] yuv422 = {{2, 1}, {1, 1}, {1, 1}};
    int[][] yuv440 = {{1, 2}, {1, 1}, {1, 1}};
    List<Case> cases = List.of(
        new Case("4:2:0", "baseline q90", TestImages.jpeg(photo, 0.9f, false)),
        new Case("4:2:0", "progressive", TestImages.jpeg(photo, 0.9f, true)),
        new Case("4:2:0", "odd size q75", TestImages.jpeg(odd, 0.75f, false)),
        new Case("4:4:4", "odd size", SelfCheck.encode(odd, 0.9f, yuv444, false, 0)),
        new Case("4:2:2", "progressive", SelfCheck.encode(photo, 0.85f, yuv422, true, 0)),
        new Case("4:4:0", "odd size", SelfCheck.encode(odd, 0.85f, yuv440, false, 0)),
        new Case("4:2:0", "restart markers", SelfCheck.encode(photo, 0.9f, null, false, 3)),
        new Case("gray", "", TestImages.jpeg(gray, 0.9f, false)),
        new Case("4:2:0", "tiny", TestImages.jpeg(TestImages.photo(14, 7, 5, 20), 0.9f, false)));
    SplittableRandom random = new SplittableRandom(2026);
    int compared = 0;
    for (Case c : cases) {
      JpegHeader header = JpegHeader.parse(c.jpeg);
      int w = header.width;
      int h = header.height;
      if (LibjpegTurboJpeg.layouts().contains(c.layout)) { // decoded natively, not declined
        assertNotNull(ACCELERATOR.decode(c.jpeg, header.components, 0, 0, w, h), c.toString());
      }
      List<Window> windows = new ArrayList<>(List.of(new Window(0, 0, w, h), new Window(0, 0, 1, 1),
          new Window(w - 1, h - 1, 1, 1), new Window(w / 2, 0, w - w / 2, h), new Window(0, h / 2, w, h - h / 2)));
      for (int i = 0; i < 60; i++) {
        int ww = 1 + random.nextInt(w);
        int wh = 1 + random.nextInt(h);
        windows.add(new Window(random.nextInt(w - ww + 1), random.nextInt(h - wh + 1), ww, wh));
      }
      for (Window window : windows) {
        for (int channels : header.components == 1 ? new int[] {1, 3} : new int[] {3}) {
          Image expected = ImageIoDecoding.jpeg(c.jpeg, header, channels, window, null);
          Image actual = ImageIoDecoding.jpeg(c.jpeg, header, channels, window, ACCELERATOR);
          assertEquals(expected.width(), actual.width());
          assertEquals(expected.channels(), actual.channels());
          assertArrayEquals(expected.pixels(), actual.pixels(), () -> c + ", window " + window);
          compared++;
        }
      }
    }
    assertEquals(9 * 65 + 65, compared); // every case and window, gray also as RGB
  }

  @Test
  void leavesOtherKindsToImageIo() throws IOException {
    byte[] cmyk = TestImages.resource("cmyk-adobe.jpg");
    assertNull(ACCELERATOR.decode(cmyk, 3, 0, 0, 1, 1));
    byte[] gray = TestImages.jpeg(grayImage(), 0.9f, false);
    assertNull(ACCELERATOR.decode(gray, 3, 0, 0, 1, 1), "a gray JPEG asked for as YCbCr");
    byte[] color = TestImages.jpeg(TestImages.photo(3, 40, 30, 10), 0.9f, false);
    assertNull(ACCELERATOR.decode(color, 1, 0, 0, 1, 1), "a YCbCr JPEG asked for as gray");
    MalformedImageException outside = assertThrows(MalformedImageException.class,
        () -> ACCELERATOR.decode(color, 3, 30, 0, 11, 1));
    assertEquals("the window 11x1 at (30, 0) is not inside the 40x30 frame", outside.getMessage());
  }

  @Test
  void brokenDataIsMalformedAsWithImageIo() throws IOException {
    byte[] jpeg = TestImages.jpeg(TestImages.photo(5, 320, 240, 30), 0.9f, false);
    JpegHeader header = JpegHeader.parse(jpeg);
    Window whole = new Window(0, 0, 320, 240);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
    MalformedImageException cut = assertThrows(MalformedImageException.class,
        () -> ACCELERATOR.decode(truncated, 3, 0, 0, 320, 240));
    MalformedImageException cutImageIo = assertThrows(MalformedImageException.class,
        () -> ImageIoDecoding.jpeg(truncated, header, 3, whole, null));
    // the same opening words, which Decode's error messages go by; the parentheses say what libjpeg warned
    assertTrue(cutImageIo.getMessage().startsWith("truncated or corrupt jpeg data ("), cutImageIo.getMessage());
    assertEquals("truncated or corrupt jpeg data (Premature end of JPEG file)", cut.getMessage());

    byte[] garbled = jpeg.clone();
    for (int i = jpeg.length / 2; i < jpeg.length / 2 + 64; i++) {
      garbled[i] = (byte) 0xFF; // fill bytes in the entropy-coded data: a corrupt scan
    }
    MalformedImageException bad = assertThrows(MalformedImageException.class,
        () -> ACCELERATOR.decode(garbled, 3, 0, 0, 320, 240));
    // javax.imageio goes on after libjpeg's first warning and fails later; this stops at the warning
    assertEquals("truncated or corrupt jpeg data (Corrupt JPEG data: premature end of data segment)",
        bad.getMessage());
    assertThrows(IOException.class, () -> ImageIoDecoding.jpeg(garbled, header, 3, whole, null));

    // a window above the damage decodes, as with javax.imageio; the missing end marker is caught by the caller
    Window top = new Window(0, 0, 320, 16);
    assertArrayEquals(ImageIoDecoding.jpeg(garbled, header, 3, top, null).pixels(),
        ImageIoDecoding.jpeg(garbled, header, 3, top, ACCELERATOR).pixels());
    MalformedImageException noEnd = assertThrows(MalformedImageException.class,
        () -> ImageIoDecoding.jpeg(truncated, header, 3, top, ACCELERATOR));
    assertTrue(noEnd.getMessage().contains("no end-of-image marker"), noEnd.getMessage());
  }

  @Test
  void damagedJpegsFailOrDecodeAsWithImageIo() throws IOException {
    SplittableRandom random = new SplittableRandom(99);
    int bothFailed = 0;
    int bothDecoded = 0;
    for (int i = 0; i < 300; i++) {
      byte[] jpeg = TestImages.jpeg(TestImages.photo(i, 64 + random.nextInt(100), 48 + random.nextInt(80), 30),
          0.5f + random.nextFloat() * 0.45f, i % 3 == 0);
      JpegHeader header = JpegHeader.parse(jpeg);
      byte[] damaged = jpeg.clone();
      int scan = scanStart(jpeg);
      for (int n = 1 + random.nextInt(4); n > 0; n--) { // a few bytes of the entropy-coded data
        damaged[scan + random.nextInt(damaged.length - scan)] = (byte) random.nextInt(256);
      }
      int w = 1 + random.nextInt(header.width);
      int h = 1 + random.nextInt(header.height);
      Window window = new Window(random.nextInt(header.width - w + 1), random.nextInt(header.height - h + 1), w, h);
      Image expected = null;
      Image actual = null;
      try {
        expected = ImageIoDecoding.jpeg(damaged, header, 3, window, null);
      } catch (IOException e) {
        // javax.imageio refused it
      }
      try {
        actual = ImageIoDecoding.jpeg(damaged, header, 3, window, ACCELERATOR);
      } catch (MalformedImageException e) {
        assertTrue(!e.getMessage().isBlank());
      }
      if (!LibjpegTurboJpeg.sharesImageIosLibrary()) {
        // libjpeg 6b (bundled by other JDKs) handles damaged data its own way, which is why the accelerator is off
        // there by default; all this checks there is that damage gives the keyed error or some pixels, not a crash
        continue;
      }
      if (expected != null && actual != null) {
        assertArrayEquals(expected.pixels(), actual.pixels(), "damaged JPEG " + i);
        bothDecoded++;
      } else {
        assertTrue(expected == null && actual == null, "damaged JPEG " + i + ": only one of the two decoded it");
        bothFailed++;
      }
    }
    if (!LibjpegTurboJpeg.sharesImageIosLibrary()) {
      return;
    }
    // seen: 104 failed, 196 decoded (damage in rows below the window, or a changed coefficient)
    assertTrue(bothFailed > 30 && bothDecoded > 30, bothFailed + " failed, " + bothDecoded + " decoded");
  }

  /** Where the first scan's entropy-coded data starts: after the start-of-scan segment. */
  private static int scanStart(byte[] jpeg) {
    for (int i = 2; i + 3 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
        return i + 2 + ((jpeg[i + 2] & 0xFF) << 8 | jpeg[i + 3] & 0xFF);
      }
    }
    throw new IllegalArgumentException("no start-of-scan marker");
  }

  private static BufferedImage grayImage() {
    BufferedImage gray = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(TestImages.photo(4, 40, 30, 10), 0, 0, null);
    return gray;
  }

  private record Case(String layout, String kind, byte[] jpeg) {
    @Override
    public String toString() {
      return layout + " " + kind;
    }
  }

}
