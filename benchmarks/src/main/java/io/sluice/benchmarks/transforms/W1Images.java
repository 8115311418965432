package io.sluice.benchmarks.transforms;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The W1 workload's images: ImageNet-like 500x375 JPEGs of about 110 KB, made deterministically.
 *
 * <p>Each is a smooth random color field at four scales plus uniform noise of +-36 levels, written by
 * javax.imageio at quality 0.9 (JFIF, 4:2:0 chroma). The noise makes the entropy-coded data as dense as a
 * camera picture's, so decoding costs what it does on real photographs of that size (about 109 KB here).
 */
public final class W1Images {
  /** Width of every W1 image. */
  public static final int WIDTH = 500;
  /** Height of every W1 image. */
  public static final int HEIGHT = 375;
  private static final double NOISE = 36;
  private static final float QUALITY = 0.9f;

  private W1Images() {}

  /** {@code count} W1 JPEGs; image {@code i} is the same on every run. */
  public static List<byte[]> jpegs(int count) {
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(jpeg(photo(i, WIDTH, HEIGHT, NOISE), QUALITY));
    }
    return out;
  }

  /** Writes {@code images} to {@code dir} as {@code 0.jpg}, {@code 1.jpg}, ...; returns the paths. */
  public static List<Path> write(List<byte[]> images, Path dir) {
    List<Path> paths = new ArrayList<>(images.size());
    try {
      Files.createDirectories(dir);
      for (int i = 0; i < images.size(); i++) {
        Path path = dir.resolve(i + ".jpg");
        Files.write(path, images.get(i));
        paths.add(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }

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
        double v = 128 + 70 * field[c][i] + random.nextDouble(-noise, noise);
        bgr[i * 3 + 2 - c] = (byte) Math.max(0, Math.min(255, (int) v));
      }
    }
    return image;
  }

  static byte[] jpeg(BufferedImage image, float quality) {
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
