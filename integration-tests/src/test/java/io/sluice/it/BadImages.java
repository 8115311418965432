package io.sluice.it;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Makers of the catalogue's images, good and bad. */
final class BadImages {
  private BadImages() {}

  static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format + " and " + image);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static BufferedImage gradient(int w, int h, int type) {
    BufferedImage image = new BufferedImage(w, h, type);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, w, h, Color.BLUE));
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }

  static byte[] png(int w, int h, int type) {
    return write(gradient(w, h, type), "png");
  }

  static byte[] jpeg(int w, int h, boolean grey) {
    BufferedImage image = gradient(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    Random r = new Random(w * 31L + h);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < h; y += 3) {
      for (int x = 0; x < w; x += 3) {
        raster.setSample(x, y, 0, r.nextInt(256));
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  static byte[] corruptJpegHeader() {
    byte[] good = jpeg(64, 64, false);
    byte[] bad = good.clone();
    Random r = new Random(1);
    for (int i = 3; i < 200; i++) {
      bad[i] = (byte) r.nextInt(256);
    }
    return bad;
  }

  static byte[] truncatedJpeg() {
    byte[] good = jpeg(256, 256, false);
    return Arrays.copyOf(good, good.length * 6 / 10);
  }

  static byte[] truncatedPng() {
    BufferedImage noisy = new BufferedImage(128, 128, BufferedImage.TYPE_3BYTE_BGR);
    Random r = new Random(3);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        noisy.setRGB(x, y, r.nextInt(0xFFFFFF));
      }
    }
    byte[] good = write(noisy, "png");
    return Arrays.copyOf(good, good.length / 2);
  }

  static byte[] cmykJpeg() {
    try (InputStream in = BadImages.class.getResourceAsStream("cmyk-adobe.jpg")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] sixteenBitPng() {
    BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 30; x++) {
        raster.setSample(x, y, 0, (x * 2000 + y * 700) & 0xFFFF);
      }
    }
    return write(image, "png");
  }

  static byte[] paletteAlphaPng() {
    byte[] reds = {0, (byte) 255, 0, 0};
    byte[] greens = {0, 0, (byte) 255, 0};
    byte[] blues = {0, 0, 0, (byte) 255};
    byte[] alphas = {0, (byte) 128, (byte) 255, (byte) 255};
    IndexColorModel model = new IndexColorModel(2, 4, reds, greens, blues, alphas);
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED, model);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        raster.setSample(x, y, 0, (x + y) % 4);
      }
    }
    return write(image, "png");
  }

  static byte[] gif() {
    return write(gradient(20, 10, BufferedImage.TYPE_BYTE_INDEXED), "gif");
  }

  static byte[] bmp() {
    return write(gradient(21, 13, BufferedImage.TYPE_3BYTE_BGR), "bmp");
  }

  /** An uncompressed BMP of noise: large on the wire, for the object-size limit. */
  static byte[] noiseBmp(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    return write(image, "bmp");
  }

  /** A PNG whose header declares 65535 x 65535 pixels (12.9 GB as RGB) and holds no pixel data. */
  static byte[] pixelBombPng() {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(65535).putInt(65535).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    b.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
    byte[] iend = {'I', 'E', 'N', 'D'};
    b.putInt(0).put(iend).putInt(crc(iend));
    return b.array();
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }
}
