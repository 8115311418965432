package io.sluice.examples.targets;

import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.InMemoryObjectStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A generated annotated dataset in the shape SageMaker Ground Truth writes: 32x32 images holding one to three
 * shapes (a circle, a square, a bar), each in its own quadrant, with, per image, a bounding-box job
 * ({@code boxes}), a semantic segmentation job ({@code mask-ref}, a PNG mask in the job's colours) and a
 * multi-label job ({@code shapes}). Image {@code i} is a pure function of (seed, i).
 */
public final class AnnotatedShapes {
  /** The shapes, in class-id order. */
  public static final LabelMap SHAPES = LabelMap.ordered(List.of("circle", "square", "bar"));
  /** The mask classes: background, then the shapes. */
  public static final LabelMap MASK_CLASSES = LabelMap.ordered(List.of("BACKGROUND", "circle", "square", "bar"));
  static final int SIZE = 32;
  private static final int[] MASK_COLOURS = {0xffffff, 0x1f77b4, 0xff7f0e, 0x2ca02c};
  private static final String CLASS_MAP = "{\"0\": \"circle\", \"1\": \"square\", \"2\": \"bar\"}";

  /** The objects, the manifest (one channel) and each entry's attributes. */
  public record Data(InMemoryObjectStore store, Manifest manifest, EntryAttributes attributes, String manifestText) {}

  private AnnotatedShapes() {}

  /**
   * Makes {@code count} images and masks under {@code prefix} in a new in-memory store, and their Ground Truth
   * style augmented manifest.
   */
  public static Data generate(String prefix, int count, long seed) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < count; i++) {
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
      BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
      BufferedImage mask = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      Graphics2D m = mask.createGraphics();
      g.setColor(new Color(40 + random.nextInt(30), 40 + random.nextInt(30), 40 + random.nextInt(30)));
      g.fillRect(0, 0, SIZE, SIZE);
      m.setColor(new Color(MASK_COLOURS[0]));
      m.fillRect(0, 0, SIZE, SIZE);
      List<Integer> quadrants = new ArrayList<>(List.of(0, 1, 2, 3));
      List<String> boxes = new ArrayList<>();
      List<Integer> present = new ArrayList<>();
      for (int shape = 0; shape < 3; shape++) {
        if (random.nextInt(3) == 0 && !(shape == 2 && present.isEmpty())) {
          continue; // each shape is there two times in three; every image has at least one
        }
        int q = quadrants.remove(random.nextInt(quadrants.size()));
        int w = shape == 2 ? 12 : 8 + random.nextInt(5);
        int h = shape == 2 ? 4 : shape == 1 ? w : w;
        int x = (q % 2) * 16 + random.nextInt(16 - w + 1);
        int y = (q / 2) * 16 + random.nextInt(16 - h + 1);
        g.setColor(new Color(150 + random.nextInt(100), 150 + random.nextInt(100), 150 + random.nextInt(100)));
        m.setColor(new Color(MASK_COLOURS[shape + 1]));
        if (shape == 0) {
          g.fillOval(x, y, w, h);
          m.fillOval(x, y, w, h);
        } else {
          g.fillRect(x, y, w, h);
          m.fillRect(x, y, w, h);
        }
        boxes.add(String.format(Locale.ROOT, "{\"class_id\": %d, \"left\": %d, \"top\": %d, \"width\": %d, "
            + "\"height\": %d}", shape, x, y, w, h));
        present.add(shape);
      }
      g.dispose();
      m.dispose();
      String key = String.format(Locale.ROOT, "images/%05d.png", i);
      String maskKey = String.format(Locale.ROOT, "masks/%05d.png", i);
      store.put(prefix + key, png(image));
      store.put(prefix + maskKey, png(mask));
      lines.append("{\"source-ref\": \"").append(prefix).append(key).append("\", ")
          .append("\"boxes\": {\"image_size\": [{\"width\": 32, \"height\": 32, \"depth\": 3}], \"annotations\": [")
          .append(String.join(", ", boxes)).append("]}, ")
          .append("\"boxes-metadata\": {\"class-map\": ").append(CLASS_MAP)
          .append(", \"type\": \"groundtruth/object-detection\", \"human-annotated\": \"yes\"}, ")
          .append("\"mask-ref\": \"").append(prefix).append(maskKey).append("\", ")
          .append("\"mask-ref-metadata\": {\"internal-color-map\": {")
          .append(colourMap()).append("}, \"type\": \"groundtruth/semantic-segmentation\"}, ")
          .append("\"shapes\": ").append(present).append(", ")
          .append("\"shapes-metadata\": {\"class-map\": ").append(CLASS_MAP)
          .append(", \"type\": \"groundtruth/image-classification-multilabel\"}}\n");
    }
    String text = lines.toString();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      Manifest manifest = Manifests.reader().unlabelled().build()
          .readChannels(new ByteArrayInputStream(bytes), "shapes.manifest").get("train");
      EntryAttributes attributes = EntryAttributes.read(new ByteArrayInputStream(bytes), "shapes.manifest", manifest,
          "source-ref");
      return new Data(store, manifest, attributes, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String colourMap() {
    List<String> entries = new ArrayList<>();
    for (int c = 0; c < MASK_CLASSES.size(); c++) {
      entries.add(String.format(Locale.ROOT, "\"%d\": {\"class-name\": \"%s\", \"hex-color\": \"#%06x\"}", c,
          MASK_CLASSES.name(c), MASK_COLOURS[c]));
    }
    return String.join(", ", entries);
  }

  private static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
