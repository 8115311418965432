package io.sluice.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Generates a labelled image dataset: ten classes of shapes drawn at random sizes, places and colours on
 * noisy backgrounds. Image {@code i} is a pure function of (seed, i), so the dataset is reproducible.
 */
final class ShapesDataset {
  static final List<String> CLASSES = List.of("circle", "square", "triangle", "hstripes", "vstripes", "plus",
      "cross", "ring", "checker", "diagonal");

  private final int size;
  private final long seed;

  ShapesDataset(int size, long seed) {
    this.size = size;
    this.seed = seed;
  }

  /** The class of image {@code i}: classes take turns, so every class has the same count (within one). */
  String className(int i) {
    return CLASSES.get(i % CLASSES.size());
  }

  /** Image {@code i} as PNG bytes. */
  byte[] png(int i) {
    BufferedImage image = draw(i);
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  BufferedImage draw(int i) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    float hue = (float) r.nextDouble();
    Color background = Color.getHSBColor(hue, 0.3f + 0.4f * (float) r.nextDouble(), 0.15f + 0.25f * (float) r.nextDouble());
    Color foreground = Color.getHSBColor((hue + 0.3f + 0.4f * (float) r.nextDouble()) % 1f,
        0.4f + 0.6f * (float) r.nextDouble(), 0.75f + 0.25f * (float) r.nextDouble());
    g.setColor(background);
    g.fillRect(0, 0, size, size);
    g.setColor(foreground);
    double s = size * (0.45 + 0.35 * r.nextDouble());
    double x = (size - s) * r.nextDouble();
    double y = (size - s) * r.nextDouble();
    float stroke = (float) (size / 16.0 + r.nextDouble() * size / 16.0);
    int period = Math.max(4, (int) (size / (3 + r.nextInt(3))));
    switch (i % CLASSES.size()) {
      case 0 -> g.fill(new Ellipse2D.Double(x, y, s, s));
      case 1 -> g.fill(new Rectangle2D.Double(x, y, s, s));
      case 2 -> {
        Path2D t = new Path2D.Double();
        t.moveTo(x + s / 2, y);
        t.lineTo(x + s, y + s);
        t.lineTo(x, y + s);
        t.closePath();
        g.fill(t);
      }
      case 3 -> {
        for (int row = r.nextInt(period); row < size; row += period) {
          g.fillRect(0, row, size, period / 2);
        }
      }
      case 4 -> {
        for (int col = r.nextInt(period); col < size; col += period) {
          g.fillRect(col, 0, period / 2, size);
        }
      }
      case 5 -> {
        g.setStroke(new BasicStroke(stroke * 1.5f));
        g.drawLine((int) (x + s / 2), (int) y, (int) (x + s / 2), (int) (y + s));
        g.drawLine((int) x, (int) (y + s / 2), (int) (x + s), (int) (y + s / 2));
      }
      case 6 -> {
        g.setStroke(new BasicStroke(stroke * 1.5f));
        g.drawLine((int) x, (int) y, (int) (x + s), (int) (y + s));
        g.drawLine((int) (x + s), (int) y, (int) x, (int) (y + s));
      }
      case 7 -> {
        g.setStroke(new BasicStroke(stroke));
        g.draw(new Ellipse2D.Double(x + stroke, y + stroke, s - 2 * stroke, s - 2 * stroke));
      }
      case 8 -> {
        int cell = Math.max(3, period / 2);
        for (int cy = 0; cy < size; cy += cell) {
          for (int cx = 0; cx < size; cx += cell) {
            if (((cx / cell) + (cy / cell)) % 2 == 0) {
              g.fillRect(cx, cy, cell, cell);
            }
          }
        }
      }
      case 9 -> {
        g.setStroke(new BasicStroke(stroke));
        for (int d = -size + r.nextInt(period); d < size; d += period) {
          g.drawLine(d, size, d + size, 0);
        }
      }
      default -> throw new IllegalStateException("class " + i % CLASSES.size());
    }
    g.dispose();
    addNoise(img, r);
    return img;
  }

  private void addNoise(BufferedImage img, SplittableRandom r) {
    byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int k = 0; k < px.length; k++) {
      int v = (px[k] & 0xFF) + (int) (r.nextGaussian() * 12);
      px[k] = (byte) Math.max(0, Math.min(255, v));
    }
  }
}
