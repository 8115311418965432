package io.sluice.transforms.libjpeg;

import io.sluice.transforms.JpegAccelerator;
import io.sluice.transforms.MalformedImageException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The {@link JpegAccelerator} over the system's libjpeg-turbo ({@code libjpeg.so.62}, as Debian and Ubuntu ship it),
 * through a small JNI library built with this module on Linux x86-64 ({@code src/main/c/sluice_libjpeg.c}).
 *
 * <p>It decodes what javax.imageio decodes (same IDCT, upsampling and color conversion) but only the window a crop
 * needs: columns outside it are cropped before the inverse DCT and rows above it only entropy-decoded, which
 * javax.imageio cannot do. Its pixels must be javax.imageio's, and it must fail on exactly the damaged JPEGs that
 * javax.imageio fails on, or its presence could change a batch. Both hold when javax.imageio calls the same system
 * library, as on Debian's and Ubuntu's JDKs ({@code lib/libjavajpeg.so} links {@code libjpeg.so.62}): only there is it
 * on by default. Other JDKs bundle libjpeg 6b, which upsamples 4:4:0 chroma differently and gives up on other
 * damaged files; there {@code -Dsluice.jpeg=libjpeg-turbo} turns it on anyway, for the sampling layouts whose pixels
 * agree. When this class loads it decodes a test image of each layout (gray; 4:4:4, 4:2:2, 4:4:0, 4:2:0, baseline
 * and progressive) both ways and takes only the layouts whose every pixel agreed; the rest it leaves to javax.imageio.
 */
public final class LibjpegTurboJpeg implements JpegAccelerator {
  /** The native library's resource path, for the platform it was built on. */
  static final String LIBRARY = "/io/sluice/transforms/libjpeg/linux-x86_64/libsluicejpeg.so";

  @Override
  public String problem() {
    return Native.PROBLEM;
  }

  /** The sampling layouts it decodes in this JVM, by name, e.g. {@code [gray, 4:4:4, 4:2:2, 4:4:0, 4:2:0]}. */
  public static List<String> layouts() {
    List<String> names = new ArrayList<>();
    for (Layout layout : Layout.values()) {
      if ((Native.LAYOUTS & layout.bit) != 0) {
        names.add(layout.label);
      }
    }
    return names;
  }

  /**
   * Whether this JDK's javax.imageio decodes JPEGs with the same system library ({@code libjpeg.so.62}), so that
   * this accelerator agrees with it on every file, damaged ones included; only then is it on by default.
   */
  public static boolean sharesImageIosLibrary() {
    return Native.SAME_LIBRARY;
  }

  @Override
  public byte[] decode(byte[] jpeg, int channels, int x, int y, int width, int height)
      throws MalformedImageException {
    if (Native.PROBLEM != null) {
      throw new IllegalStateException("libjpeg-turbo is not available: " + Native.PROBLEM);
    }
    return decodeWindow(jpeg, Native.LAYOUTS, channels, x, y, width, height);
  }

  /** The JNI function; see {@code sluice_libjpeg.c}. {@code layouts}: the {@link Layout} bits to decode. */
  static native byte[] decodeWindow(byte[] jpeg, int layouts, int channels, int x, int y, int width, int height)
      throws MalformedImageException;

  /** The sampling layouts the native side tells apart; bits as its {@code layout()} returns them. */
  enum Layout {
    GRAY(1, "gray", null),
    YCC_444(2, "4:4:4", new int[] {1, 1}),
    YCC_422(4, "4:2:2", new int[] {2, 1}),
    YCC_440(8, "4:4:0", new int[] {1, 2}),
    YCC_420(16, "4:2:0", new int[] {2, 2});

    final int bit;
    final String label;
    final int[] luma; // luma sampling factors {h, v}; chroma is 1x1

    Layout(int bit, String label, int[] luma) {
      this.bit = bit;
      this.label = label;
      this.luma = luma;
    }
  }

  /** Loads the library once and checks its pixels against javax.imageio's. */
  static final class Native {
    static final int LAYOUTS;
    static final String PROBLEM;
    static final boolean SAME_LIBRARY = imageIoUsesSystemLibjpeg();
    /** Null if the native library loaded, else why not ({@link LibjpegTurboCodec} needs no more). */
    static final String LOAD_PROBLEM = load();

    static {
      int layouts = 0;
      String problem = LOAD_PROBLEM;
      if (problem == null) {
        try {
          layouts = SelfCheck.agreeingLayouts();
          problem = problem(SAME_LIBRARY, "libjpeg-turbo".equals(System.getProperty("sluice.jpeg")),
              layouts);
        } catch (IOException | RuntimeException | LinkageError e) {
          problem = "the check against javax.imageio failed: " + e;
        }
      }
      LAYOUTS = problem == null ? layouts : 0;
      PROBLEM = problem;
    }

    private Native() {}

    /**
     * Null if the library, loaded, may decode: javax.imageio calls the same library, or the user asked for it
     * ({@code forced}), and some layouts agreed; else why not.
     */
    static String problem(boolean sameLibrary, boolean forced, int agreeingLayouts) {
      if (!sameLibrary && !forced) {
        return "javax.imageio in this JVM has its own libjpeg (its lib/libjavajpeg.so does not link libjpeg.so.62): "
            + "the system's libjpeg-turbo would give its pixels for most JPEGs but could fail on other damaged ones; "
            + "-Dsluice.jpeg=libjpeg-turbo turns it on anyway";
      }
      if (agreeingLayouts == 0) {
        return "its pixels differ from javax.imageio's in this JVM for every sampling layout";
      }
      return null;
    }

    /** Whether this JDK's javax.imageio JPEG decoder is the system's libjpeg ({@code libjpeg.so.62}) too. */
    static boolean imageIoUsesSystemLibjpeg() {
      Path library = Path.of(System.getProperty("java.home"), "lib", "libjavajpeg.so");
      try {
        // the dynamic section's needed-library names are plain strings in the file
        return indexOf(Files.readAllBytes(library), "libjpeg.so.62".getBytes(StandardCharsets.US_ASCII)) >= 0;
      } catch (IOException e) {
        return false;
      }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    private static String load() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "");
      if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
        return "built for Linux x86-64 only, not " + os + " " + arch;
      }
      try (InputStream in = LibjpegTurboJpeg.class.getResourceAsStream(LIBRARY)) {
        if (in == null) {
          return "this jar has no native library (" + LIBRARY + "): it was built without gcc or libjpeg's headers";
        }
        Path file = Files.createTempFile("sluicejpeg", ".so");
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        System.load(file.toString());
        return null;
      } catch (IOException | LinkageError | SecurityException e) {
        return "could not load the native library: " + e;
      }
    }
  }

  /** Decodes test JPEGs natively and with javax.imageio, layout by layout. */
  public static final class SelfCheck {
    private static final int[][] WINDOWS = {{0, 0, 83, 61}, {37, 29, 40, 30}, {1, 2, 5, 3}, {70, 50, 13, 11}};

    private SelfCheck() {}

    /** The {@link Layout} bits whose test images decode to javax.imageio's pixels, every window, every pixel. */
    static int agreeingLayouts() throws IOException {
      BufferedImage image = testImage(83, 61);
      int agreeing = 0;
      for (Layout layout : Layout.values()) {
        boolean agrees = true;
        for (boolean progressive : new boolean[] {false, true}) {
          byte[] jpeg = layout == Layout.GRAY ? encode(gray(image), 0.9f, null, progressive, 0)
              : encode(image, 0.9f, new int[][] {layout.luma, {1, 1}, {1, 1}}, progressive, 0);
          agrees &= agrees(jpeg, layout == Layout.GRAY ? 1 : 3, layout.bit);
        }
        if (agrees) {
          agreeing |= layout.bit;
        }
      }
      return agreeing;
    }

    private static boolean agrees(byte[] jpeg, int channels, int bit) throws IOException {
      BufferedImage reference = ImageIO.read(new ByteArrayInputStream(jpeg));
      int[] samples = new int[channels]; // the raster's bands are R, G, B (or gray), whatever its byte order
      for (int[] w : WINDOWS) {
        byte[] pixels = decodeWindow(jpeg, bit, channels, w[0], w[1], w[2], w[3]);
        if (pixels == null) {
          return false;
        }
        for (int y = 0, i = 0; y < w[3]; y++) {
          for (int x = 0; x < w[2]; x++) {
            reference.getRaster().getPixel(w[0] + x, w[1] + y, samples);
            for (int c = 0; c < channels; c++, i++) {
              if ((pixels[i] & 0xff) != samples[c]) {
                return false;
              }
            }
          }
        }
      }
      return true;
    }

    /** A smooth gradient with noise on it, so that every coefficient and the chroma upsampling matter. */
    static BufferedImage testImage(int width, int height) {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
      SplittableRandom random = new SplittableRandom(7);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int r = Math.min(255, x * 3 + random.nextInt(40));
          int g = Math.min(255, y * 4 + random.nextInt(40));
          int b = Math.min(255, (x + y) * 2 + random.nextInt(60));
          image.setRGB(x, y, r << 16 | g << 8 | b);
        }
      }
      return image;
    }

    private static BufferedImage gray(BufferedImage image) {
      BufferedImage gray = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
      gray.getGraphics().drawImage(image, 0, 0, null);
      return gray;
    }

    /**
     * {@code image} as a JPEG written by javax.imageio, of {@code quality} (0 to 1), with the given sampling factors
     * ({h, v} per component; null for its default, 4:2:0 for color) and, if {@code restartInterval} is not 0, a
     * restart marker every so many MCUs. Public for tests.
     */
    public static byte[] encode(BufferedImage image, float quality, int[][] sampling, boolean progressive,
        int restartInterval) throws IOException {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      try {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        if (progressive) {
          param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
            param);
        String format = "javax_imageio_jpeg_image_1.0";
        Node root = metadata.getAsTree(format);
        if (sampling != null) {
          NodeList components = ((Element) root).getElementsByTagName("componentSpec");
          for (int i = 0; i < components.getLength(); i++) {
            Element spec = (Element) components.item(i);
            spec.setAttribute("HsamplingFactor", Integer.toString(sampling[i][0]));
            spec.setAttribute("VsamplingFactor", Integer.toString(sampling[i][1]));
          }
        }
        if (restartInterval > 0) {
          Element markers = (Element) ((Element) root).getElementsByTagName("markerSequence").item(0);
          IIOMetadataNode dri = new IIOMetadataNode("dri");
          dri.setAttribute("interval", Integer.toString(restartInterval));
          markers.insertBefore(dri, markers.getElementsByTagName("sof").item(0));
        }
        metadata.setFromTree(format, root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
          writer.setOutput(stream);
          writer.write(null, new IIOImage(image, null, metadata), param);
        }
        return out.toByteArray();
      } finally {
        writer.dispose();
      }
    }
  }
}
