package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.loader.SampleContext;
import io.sluice.loader.store.StoredObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

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
}
