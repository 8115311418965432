package io.sluice.benchmarks.harness;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The benchmark workloads' images, made deterministically and laid out as {@code <root>/<bucket>/<class>/<n>.jpg}
 * in ten classes ({@code class0} .. {@code class9}, image {@code n} in class {@code n % 10}).
 *
 * <ul>
 *   <li>W1: ImageNet-like 500x375 JPEGs at quality 0.9, about 110 KB each.
 *   <li>W2: 224x224 JPEGs at quality 0.9, about 25 KB each.
 * </ul>
 *
 * <p>Each image is a smooth random colour field at four scales plus uniform pixel noise, written by
 * javax.imageio (JFIF, 4:2:0 chroma). The noise makes the entropy-coded data about as dense as a camera
 * picture's, so decoding costs what it costs on photographs of the same size and file size.
 */
public enum Datasets {
  /** 500x375, q90, about 110 KB. */
  W1(500, 375, 36),
  /** 224x224, q90, about 25 KB. */
  W2(224, 224, 28);

  /** The number of classes. */
  public static final int CLASSES = 10;
  private static final float QUALITY = 0.9f;

  private final int width;
  private final int height;
  private final double noise;

  Datasets(int width, int height, double noise) {
    this.width = width;
    this.height = height;
    this.noise = noise;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** The key of image {@code n} under the bucket: {@code class<n % 10>/<n>.jpg}. */
  public static String key(int n) {
    return className(n) + "/" + n + ".jpg";
  }

  /** The class of image {@code n}. */
  public static String className(int n) {
    return "class" + (n % CLASSES);
  }

  /** JPEG {@code n} of this workload; the same bytes on every run. */
  public byte[] jpeg(int n) {
    return encode(photo(name().hashCode() * 1_000_003L + n, width, height, noise), QUALITY);
  }

  /**
   * Writes images {@code 0 .. count-1} under {@code root/bucket}, on all processors, unless a marker says they
   * are there already.
   *
   * @return the total size in bytes
   */
  public long writeTo(Path root, String bucket, int count) {
    Path dir = root.resolve(bucket);
    Path marker = dir.resolve(".complete");
    try {
      if (Files.exists(marker) && Files.readString(marker).trim().startsWith(count + " ")) {
        return Long.parseLong(Files.readString(marker).trim().split(" ")[1]);
      }
      for (int c = 0; c < CLASSES; c++) {
        Files.createDirectories(dir.resolve("class" + c));
      }
      long total = IntStream.range(0, count).parallel().mapToLong(n -> {
        byte[] bytes = jpeg(n);
        try {
          Files.write(dir.resolve(key(n)), bytes);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return bytes.length;
      }).sum();
      Files.writeString(marker, count + " " + total + "\n", StandardCharsets.UTF_8);
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + this + " to " + dir, e);
    }
  }

  /** The bytes of images {@code 0 .. count-1} as written by {@link #writeTo}. */
  public static List<byte[]> read(Path root, String bucket, int count) {
    List<byte[]> out = new ArrayList<>(count);
    try {
      for (int n = 0; n < count; n++) {
        out.add(Files.readAllBytes(root.resolve(bucket).resolve(key(n))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A one-line description, e.g. {@code W1: 2000 JPEGs 500x375 q90, mean 109.8 KB}. */
  public String describe(int count, long totalBytes) {
    return String.format(Locale.ROOT, "%s: %d JPEGs %dx%d q90, mean %.1f KB, %d classes", name(), count, width, height,
        totalBytes / 1000.0 / count, CLASSES);
  }

  /** A photographic-like image: smooth random fields at four scales plus noise, a function of the seed. */
  public static BufferedImage photo(long seed, int width, int height, double noise) {
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
        double[] plane = field[c];
        for (int y = 0; y < height; y++) {
          double fy = (double) y / cell;
          int iy = (int) fy;
          double ay = fy - iy;
          for (int x = 0; x < width; x++) {
            double fx = (double) x / cell;
            int ix = (int) fx;
            double ax = fx - ix;
            plane[y * width + x] += grid[iy * gw + ix] * (1 - ax) * (1 - ay) + grid[iy * gw + ix + 1] * ax * (1 - ay)
                + grid[(iy + 1) * gw + ix] * (1 - ax) * ay + grid[(iy + 1) * gw + ix + 1] * ax * ay;
          }
        }
      }
    }
    for (int i = 0; i < width * height; i++) {
      for (int c = 0; c < 3; c++) {
        double v = 128 + 70 * field[c][i] + random.nextDouble(-noise, noise);
        bgr[i * 3 + 2 - c] = (byte) Math.max(0, Math.min(255, (int) v));
      }
    }
    return image;
  }

  /** The image as a baseline JPEG at {@code quality} (0..1). */
  public static byte[] encode(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
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
}
