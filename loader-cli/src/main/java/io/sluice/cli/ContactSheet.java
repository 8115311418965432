package io.sluice.cli;

import io.sluice.transforms.Image;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** A grid of images, each captioned with its key and label, written as one PNG. */
final class ContactSheet {
  private static final int CAPTION = 34;
  private static final int GAP = 6;

  /** One cell: the image (or {@code null} if it could not be made) and its two caption lines. */
  record Cell(Image image, String key, String label) {}

  private final int cellSize;
  private final int columns;
  private final List<Cell> cells = new ArrayList<>();

  /**
   * @param cellSize the largest side of an image in the sheet, in pixels; images are scaled to fit
   * @param columns cells per row
   */
  ContactSheet(int cellSize, int columns) {
    this.cellSize = cellSize;
    this.columns = columns;
  }

  void add(Cell cell) {
    cells.add(cell);
  }

  /** The sheet's width and height in pixels. */
  int[] size() {
    int rows = (cells.size() + columns - 1) / columns;
    int cols = Math.min(columns, cells.size());
    return new int[] {GAP + cols * (cellSize + GAP), GAP + rows * (cellSize + CAPTION + GAP)};
  }

  void write(Path file) throws IOException {
    int[] size = size();
    BufferedImage sheet = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, size[0], size[1]);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      FontMetrics metrics = g.getFontMetrics();
      for (int i = 0; i < cells.size(); i++) {
        Cell cell = cells.get(i);
        int x = GAP + (i % columns) * (cellSize + GAP);
        int y = GAP + (i / columns) * (cellSize + CAPTION + GAP);
        g.setColor(new Color(0xEEEEEE));
        g.fillRect(x, y, cellSize, cellSize);
        if (cell.image() != null) {
          Image image = cell.image();
          double scale = Math.min((double) cellSize / image.width(), (double) cellSize / image.height());
          int w = Math.max(1, (int) Math.round(image.width() * scale));
          int h = Math.max(1, (int) Math.round(image.height() * scale));
          g.drawImage(toBufferedImage(image), x + (cellSize - w) / 2, y + (cellSize - h) / 2, w, h, null);
        } else {
          g.setColor(Color.RED);
          g.drawLine(x, y, x + cellSize, y + cellSize);
          g.drawLine(x + cellSize, y, x, y + cellSize);
        }
        g.setColor(Color.BLACK);
        g.drawString(fit(cell.key(), metrics), x, y + cellSize + 14);
        g.setColor(cell.image() == null ? Color.RED : Color.DARK_GRAY);
        g.drawString(fit(cell.label(), metrics), x, y + cellSize + 28);
      }
    } finally {
      g.dispose();
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(sheet, "png", file.toFile())) {
      throw new IOException("no PNG writer in this JRE");
    }
  }

  /** The text, cut from the left with a leading ellipsis until it fits the cell. */
  private String fit(String text, FontMetrics metrics) {
    if (metrics.stringWidth(text) <= cellSize) {
      return text;
    }
    String cut = text;
    while (cut.length() > 1 && metrics.stringWidth("\u2026" + cut) > cellSize) {
      cut = cut.substring(1);
    }
    return "\u2026" + cut;
  }

  static BufferedImage toBufferedImage(Image image) {
    int w = image.width();
    int h = image.height();
    byte[] p = image.pixels();
    if (image.channels() == 1) {
      BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      gray.getRaster().setDataElements(0, 0, w, h, p);
      return gray;
    }
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        row[x] = (p[o] & 0xFF) << 16 | (p[o + 1] & 0xFF) << 8 | (p[o + 2] & 0xFF);
      }
      rgb.setRGB(0, y, w, 1, row, 0, w);
    }
    return rgb;
  }
}
