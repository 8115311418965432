package io.sluice.cli;

import io.sluice.transforms.Detection;
import io.sluice.transforms.Image;
import io.sluice.transforms.Segmentation;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A grid of images, each captioned with its key and label and optionally overlaid with its boxes and mask,
 * written as one PNG; a legend of the mask classes under the grid when there are any.
 */
final class ContactSheet {
  private static final int CAPTION = 34;
  private static final int GAP = 6;
  private static final int LEGEND_LINE = 18;
  private static final int LEGEND_ITEM = 120;
  /** Box outline colours by class id, modulo their count: bright, so they stand out on photos. */
  private static final int[] BOX_COLOURS = {0xFFD600, 0x00E5FF, 0xFF4081, 0x76FF03, 0xFF6D00, 0xD500F9, 0x2979FF};
  /** Mask colours by class id for masks whose attribute has no colour map. */
  private static final int[] MASK_COLOURS = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2};

  /**
   * One cell: the image (or {@code null} if it could not be made), its two caption lines, the boxes to draw on
   * it and the mask to overlay ({@code null} for none).
   */
  record Cell(Image image, String key, String label, List<Detection.LabelledBox> boxes,
      Segmentation.ResampledMask mask) {
    Cell(Image image, String key, String label) {
      this(image, key, label, List.of(), null);
    }
  }

  /** The outline colour of boxes of class id {@code classId}, as {@code 0xRRGGBB}. */
  static int boxColour(long classId) {
    return BOX_COLOURS[(int) Math.floorMod(classId, (long) BOX_COLOURS.length)];
  }

  /** The overlay colour of mask class {@code id}: its colour-map colour, else one of a fixed set. */
  static int maskColour(Segmentation.ResampledMask mask, int id) {
    Segmentation.MaskClass c = mask.classes().get(id);
    return c != null ? c.rgb() : MASK_COLOURS[id % MASK_COLOURS.length];
  }

  /** A mask pixel of {@code rgb} and an image pixel of {@code under} blended as the sheet shows them. */
  static int blend(int under, int rgb) {
    int r = (((under >> 16) & 0xFF) + ((rgb >> 16) & 0xFF)) / 2;
    int g = (((under >> 8) & 0xFF) + ((rgb >> 8) & 0xFF)) / 2;
    int b = ((under & 0xFF) + (rgb & 0xFF)) / 2;
    return r << 16 | g << 8 | b;
  }

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
    int width = GAP + cols * (cellSize + GAP);
    int legend = legend().isEmpty() ? 0 : legendLines(width) * LEGEND_LINE + GAP;
    return new int[] {width, GAP + rows * (cellSize + CAPTION + GAP) + legend};
  }

  /** The mask classes the cells show (not class 0, Ground Truth's background), by caption, in order of appearance. */
  private Map<String, Integer> legend() {
    Map<String, Integer> legend = new LinkedHashMap<>();
    for (Cell cell : cells) {
      Segmentation.ResampledMask mask = cell.mask();
      if (mask == null) {
        continue;
      }
      for (int id : mask.classIds()) {
        if (id > 0) {
          Segmentation.MaskClass c = mask.classes().get(id);
          legend.putIfAbsent(c != null ? c.name() : "class " + id, maskColour(mask, id));
        }
      }
    }
    return legend;
  }

  private int legendLines(int width) {
    int perLine = Math.max(1, (width - GAP) / LEGEND_ITEM);
    return (legend().size() + perLine - 1) / perLine;
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
          int left = x + (cellSize - w) / 2;
          int top = y + (cellSize - h) / 2;
          BufferedImage pixels = toBufferedImage(image);
          g.drawImage(cell.mask() == null ? pixels : overlay(pixels, cell.mask()), left, top, w, h, null);
          drawBoxes(g, cell.boxes(), left, top, (double) w / image.width(), (double) h / image.height(), metrics);
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
      drawLegend(g, size, metrics);
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

  /** Each box's outline, 2 px wide inside its edges, and its class name above it (inside it at the top). */
  private static void drawBoxes(Graphics2D g, List<Detection.LabelledBox> boxes, int left, int top, double scaleX,
      double scaleY, FontMetrics metrics) {
    for (Detection.LabelledBox b : boxes) {
      int x1 = left + (int) Math.round(b.x1() * scaleX);
      int y1 = top + (int) Math.round(b.y1() * scaleY);
      int x2 = Math.max(x1 + 1, left + (int) Math.round(b.x2() * scaleX)) - 1;
      int y2 = Math.max(y1 + 1, top + (int) Math.round(b.y2() * scaleY)) - 1;
      Color colour = new Color(boxColour(b.classId()));
      g.setColor(colour);
      g.drawRect(x1, y1, x2 - x1, y2 - y1);
      if (x2 - x1 > 2 && y2 - y1 > 2) {
        g.drawRect(x1 + 1, y1 + 1, x2 - x1 - 2, y2 - y1 - 2);
      }
      String name = b.className() != null ? b.className() : String.valueOf(b.classId());
      int textWidth = metrics.stringWidth(name) + 4;
      int textTop = y1 - metrics.getHeight() >= top ? y1 - metrics.getHeight() : y1 + 2;
      g.fillRect(x1, textTop, textWidth, metrics.getHeight());
      g.setColor(Color.BLACK);
      g.drawString(name, x1 + 2, textTop + metrics.getAscent());
    }
  }

  /** The image with the mask's classes other than 0 blended in half and half; class 0 and padding left clear. */
  private static BufferedImage overlay(BufferedImage image, Segmentation.ResampledMask mask) {
    int w = image.getWidth();
    BufferedImage out = new BufferedImage(w, image.getHeight(), BufferedImage.TYPE_INT_RGB);
    int[] ids = mask.classIds();
    for (int i = 0; i < ids.length; i++) {
      int under = image.getRGB(i % w, i / w) & 0xFFFFFF;
      out.setRGB(i % w, i / w, ids[i] > 0 ? blend(under, maskColour(mask, ids[i])) : under);
    }
    return out;
  }

  private void drawLegend(Graphics2D g, int[] size, FontMetrics metrics) {
    Map<String, Integer> legend = legend();
    if (legend.isEmpty()) {
      return;
    }
    int perLine = Math.max(1, (size[0] - GAP) / LEGEND_ITEM);
    int top = size[1] - legendLines(size[0]) * LEGEND_LINE - GAP;
    int i = 0;
    for (Map.Entry<String, Integer> e : legend.entrySet()) {
      int x = GAP + (i % perLine) * LEGEND_ITEM;
      int y = top + (i / perLine) * LEGEND_LINE;
      g.setColor(new Color(e.getValue()));
      g.fillRect(x, y + 3, 12, 12);
      g.setColor(Color.DARK_GRAY);
      g.drawRect(x, y + 3, 12, 12);
      g.drawString(fitTo(e.getKey(), metrics, LEGEND_ITEM - 22), x + 16, y + 13);
      i++;
    }
  }

  /** The text, cut from the left with a leading ellipsis until it fits the cell. */
  private String fit(String text, FontMetrics metrics) {
    return fitTo(text, metrics, cellSize);
  }

  private static String fitTo(String text, FontMetrics metrics, int width) {
    if (metrics.stringWidth(text) <= width) {
      return text;
    }
    String cut = text;
    while (cut.length() > 1 && metrics.stringWidth("\u2026" + cut) > width) {
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
