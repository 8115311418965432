package io.sluice.benchmarks.transforms;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    return io.sluice.benchmarks.harness.Datasets.photo(seed, width, height, noise);
  }

  static byte[] jpeg(BufferedImage image, float quality) {
    return io.sluice.benchmarks.harness.Datasets.encode(image, quality);
  }
}
