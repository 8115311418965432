package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.loader.SampleContext;
import io.sluice.loader.store.StoredObject;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Tiny images, their encodings and a sample context, shared by the tests of this package. */
final class TestImages {
  static final String KEY = "s3://bucket/images/cat.jpg";
  static final SampleContext CONTEXT = SampleContext.of(KEY, 42);

  private TestImages() {}

  /** An 8-bit image from samples in HWC order. */
  static Image image(int width, int height, int channels, int... samples) {
    byte[] pixels = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      pixels[i] = (byte) samples[i];
    }
    return new Image(width, height, channels, pixels);
  }

  /** A {@code TYPE_INT_RGB} image from R, G, B triples in row-major order. */
  static BufferedImage rgb(int width, int height, int... triples) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    fillRgb(image, triples);
    return image;
  }

  /** Sets every pixel of {@code image} from R, G, B triples in row-major order. */
  static void fillRgb(BufferedImage image, int... triples) {
    assertEquals(image.getWidth() * image.getHeight() * 3, triples.length, "triples");
    for (int i = 0; i < triples.length; i += 3) {
      int pixel = i / 3;
      image.setRGB(pixel % image.getWidth(), pixel / image.getWidth(),
          0xFF000000 | triples[i] << 16 | triples[i + 1] << 8 | triples[i + 2]);
    }
  }

  /** Sets band 0 of every pixel of {@code image}, bypassing color conversion. */
  static void fillSamples(BufferedImage image, int... samples) {
    assertEquals(image.getWidth() * image.getHeight(), samples.length, "samples");
    for (int i = 0; i < samples.length; i++) {
      image.getRaster().setSample(i % image.getWidth(), i / image.getWidth(), 0, samples[i]);
    }
  }

  /** {@code image} encoded by javax.imageio as {@code format} ("png" or "jpeg"). */
  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no " + format + " writer for " + image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Bytes as a stored object read from {@link #KEY}. */
  static StoredObject stored(byte[] bytes) {
    return new StoredObject(KEY, bytes, null, null);
  }

  /** The samples of {@code image} in HWC order, as ints from 0 to 255. */
  static int[] samples(Image image) {
    byte[] pixels = image.pixels();
    int[] samples = new int[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      samples[i] = pixels[i] & 0xFF;
    }
    return samples;
  }

  /** A context for sample {@code index} with a generator that is a function of (seed, index) alone. */
  static SampleContext context(long seed, int index) {
    return SampleContext.of(KEY, index, 0, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L));
  }

  /**
   * A photograph-like RGB image: smooth color fields at several scales plus noise, so that JPEGs of it have
   * detail in every block, like camera pictures.
   */
  static BufferedImage photo(long seed, int width, int height, double noise) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    double[][] field = new double[3][width * height];
    for (int c = 0; c < 3; c++) {
      for (int cell : new int[] {64, 24, 8, 3}) {
        int gw = width / cell + 2;
        int gh = height / cell + 2;
        double[] grid = new double[gw * gh];
        for (int i = 0; i < grid.length; i++) {
          grid[i] = random.nextDouble(-1, 1) * (cell / 64.0 + 0.3);
        }
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            double fx = (double) x / cell;
            double fy = (double) y / cell;
            int ix = (int) fx;
            int iy = (int) fy;
            double ax = fx - ix;
            double ay = fy - iy;
            field[c][y * width + x] += grid[iy * gw + ix] * (1 - ax) * (1 - ay) + grid[iy * gw + ix + 1] * ax * (1 - ay)
                + grid[(iy + 1) * gw + ix] * (1 - ax) * ay + grid[(iy + 1) * gw + ix + 1] * ax * ay;
          }
        }
      }
    }
    for (int i = 0; i < width * height; i++) {
      for (int c = 0; c < 3; c++) {
        double v = 128 + 70 * field[c][i] + (noise > 0 ? random.nextDouble(-noise, noise) : 0);
        bgr[i * 3 + 2 - c] = (byte) Math.max(0, Math.min(255, (int) v));
      }
    }
    return image;
  }

  /** {@code image} as a JPEG of {@code quality} (0 to 1), written by javax.imageio (JFIF, 4:2:0). */
  static byte[] jpeg(BufferedImage image, float quality, boolean progressive) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    if (progressive) {
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** {@code jpeg} with one more marker segment inserted right after the start-of-image marker. */
  static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(marker);
    out.write((payload.length + 2) >>> 8);
    out.write((payload.length + 2) & 0xFF);
    out.writeBytes(payload);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** An Exif APP1 payload holding only an orientation tag, big- or little-endian. */
  static byte[] exifOrientation(int orientation, boolean littleEndian) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    java.util.function.IntConsumer u16 = v -> {
      if (littleEndian) {
        out.write(v & 0xFF);
        out.write(v >>> 8);
      } else {
        out.write(v >>> 8);
        out.write(v & 0xFF);
      }
    };
    out.writeBytes(littleEndian ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
    u16.accept(42);
    u16.accept(littleEndian ? 8 : 0); // IFD offset 8 as a 32-bit value
    u16.accept(littleEndian ? 0 : 8);
    u16.accept(1); // one entry
    u16.accept(0x0112); // orientation
    u16.accept(3); // SHORT
    u16.accept(littleEndian ? 1 : 0); // count 1
    u16.accept(littleEndian ? 0 : 1);
    u16.accept(orientation);
    u16.accept(0); // padding of the value field
    u16.accept(0); // next IFD offset 0
    u16.accept(0);
    return out.toByteArray();
  }

  /** A resource of this package as bytes. */
  static byte[] resource(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The largest absolute difference between two images' samples; they must have the same shape. */
  static int maxDifference(Image a, Image b) {
    assertEquals(a.width(), b.width(), "width");
    assertEquals(a.height(), b.height(), "height");
    assertEquals(a.channels(), b.channels(), "channels");
    int max = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      max = Math.max(max, Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF)));
    }
    return max;
  }

  /** The mean absolute difference between two images' samples. */
  static double meanDifference(Image a, Image b) {
    long sum = 0;
    for (int i = 0; i < a.pixels().length; i++) {
      sum += Math.abs((a.pixels()[i] & 0xFF) - (b.pixels()[i] & 0xFF));
    }
    return (double) sum / a.pixels().length;
  }

  /** A random image with every sample uniform in [0, 255]. */
  static Image noise(long seed, int width, int height, int channels) {
    byte[] pixels = new byte[width * height * channels];
    new SplittableRandom(seed).nextBytes(pixels);
    return new Image(width, height, channels, pixels);
  }
}
