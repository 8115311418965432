package io.sluice.transforms;

import io.sluice.loader.Entry;
import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Target;
import io.sluice.loader.manifest.LabelMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Object detection targets from Ground Truth bounding-box output, moved with the image.
 *
 * <p>The attribute is what a Ground Truth bounding-box job writes:
 * <pre>{@code
 * "boxes": {"image_size": [{"width": 64, "height": 48, "depth": 3}],
 *           "annotations": [{"class_id": 0, "left": 8, "top": 4, "width": 20, "height": 16}]},
 * "boxes-metadata": {"class-map": {"0": "circle"}, "type": "groundtruth/object-detection", ...}
 * }</pre>
 *
 * <p>Boxes are in pixels of the decoded image. Each is mapped through the {@link ImageGeometry} of the chain's
 * output, so it follows every crop, pad, resize, flip and RandomResizedCrop from the same random draw as the
 * pixels; it is then clipped to the image, and dropped when less than {@code minVisible} of its area is left
 * (a box cropped out entirely is always dropped). A box outside its {@code image_size}, with a size that is not
 * positive, a class id the class map does not name, or an {@code image_size} other than the decoded image's
 * fails with an error naming the entry (or is skipped under the skip policy).
 */
public final class Detection {
  private Detection() {}

  /**
   * Boxes in the label layout of DL4J's {@code Yolo2OutputLayer}: {@code [4 + C, gridHeight, gridWidth]} per
   * sample. The cell holding a box's centre gets the box's corners {@code x1, y1, x2, y2} in grid units
   * (channels 0-3) and its class one-hot (channels {@code 4 + class}); other cells are 0. When two boxes'
   * centres fall in one cell, the first in annotation order is kept.
   *
   * @throws IllegalArgumentException if the grid is not positive or {@code minVisible} not in {@code [0, 1]}
   */
  public static Target yolo(String attribute, LabelMap classes, int gridWidth, int gridHeight, double minVisible) {
    if (gridWidth <= 0 || gridHeight <= 0) {
      throw new IllegalArgumentException("grid must be positive: " + gridWidth + "x" + gridHeight);
    }
    return new Boxes(attribute, classes, minVisible, gridWidth, gridHeight, 0);
  }

  /**
   * Boxes as a padded {@code [maxBoxes, 5]} tensor per sample: one row {@code class, x1, y1, x2, y2} per
   * box kept, in output pixels, in annotation order; the unused rows are {@code -1, 0, 0, 0, 0}. An entry
   * with more boxes kept than {@code maxBoxes} fails.
   *
   * @throws IllegalArgumentException if {@code maxBoxes} is not positive or {@code minVisible} not in {@code [0, 1]}
   */
  public static Target padded(String attribute, LabelMap classes, int maxBoxes, double minVisible) {
    if (maxBoxes <= 0) {
      throw new IllegalArgumentException("max boxes must be positive: " + maxBoxes);
    }
    return new Boxes(attribute, classes, minVisible, 0, 0, maxBoxes);
  }

  /**
   * One box of an entry as an image shows it.
   *
   * @param classId the box's Ground Truth {@code class_id}
   * @param className the name the attribute's {@code class-map} gives {@code classId}, or {@code null} without a
   *     class map
   * @param x1 the left edge, in the image's pixels
   * @param y1 the top edge
   * @param x2 the right edge ({@code > x1})
   * @param y2 the bottom edge ({@code > y1})
   */
  public record LabelledBox(long classId, String className, double x1, double y1, double x2, double y2) {}

  /**
   * The boxes of {@code entry}'s bounding-box {@code attribute} as an image of {@code geometry} shows them
   * (e.g. a chain's output {@link Image#geometry()}), for a tool that draws them: mapped, clipped and
   * filtered exactly as {@link #yolo} and {@link #padded} do before they lay them out, in annotation order.
   *
   * @param minVisible drop a box when less than this fraction of its area is left in the image
   * @throws io.sluice.loader.SluiceException naming the entry if the attribute is missing or malformed (see the
   *     class comment)
   * @throws IllegalArgumentException if {@code minVisible} is not in {@code [0, 1]}
   */
  public static List<LabelledBox> boxes(Entry entry, String attribute, ImageGeometry geometry, double minVisible) {
    Objects.requireNonNull(attribute, "attribute");
    if (!(minVisible >= 0 && minVisible <= 1)) {
      throw new IllegalArgumentException("min visible fraction must be in [0, 1]: " + minVisible);
    }
    List<LabelledBox> kept = new ArrayList<>();
    for (LabelledBox b : mapped(entry, attribute, geometry)) {
      LabelledBox visible = visible(b, geometry, minVisible);
      if (visible != null) {
        kept.add(visible);
      }
    }
    return kept;
  }

  /** Every box of the attribute, checked and mapped through {@code geometry}, not clipped, in annotation order. */
  static List<LabelledBox> mapped(Entry entry, String attribute, ImageGeometry geometry) {
    Object value = entry.attribute(attribute);
    if (!(value instanceof Map<?, ?> job) || !(job.get("annotations") instanceof List<?> annotations)) {
      throw entry.error("has '" + attribute + "' = " + value + ", expected Ground Truth bounding-box output "
          + "{\"image_size\": [...], \"annotations\": [...]}");
    }
    checkImageSize(entry, attribute, job, geometry);
    Map<?, ?> classMap = GroundTruth.metadataMap(entry, attribute, "class-map");
    List<LabelledBox> all = new ArrayList<>();
    for (Object a : annotations) {
      if (!(a instanceof Map<?, ?> box)) {
        throw entry.error("has annotation " + a + " in '" + attribute + "', expected an object");
      }
      long id = GroundTruth.classId(entry, attribute, box.get("class_id"));
      String name = GroundTruth.className(entry, attribute, id, classMap);
      double left = GroundTruth.number(entry, attribute, box, "left");
      double top = GroundTruth.number(entry, attribute, box, "top");
      double width = GroundTruth.number(entry, attribute, box, "width");
      double height = GroundTruth.number(entry, attribute, box, "height");
      if (!(width > 0 && height > 0)) {
        throw entry.error("has a box " + box + " in '" + attribute + "' whose size is not positive");
      }
      if (left < 0 || top < 0 || left + width > geometry.sourceWidth() || top + height > geometry.sourceHeight()) {
        throw entry.error("has a box " + box + " in '" + attribute + "' outside its " + geometry.sourceWidth()
            + "x" + geometry.sourceHeight() + " image");
      }
      double[] m = geometry.mapBox(left, top, left + width, top + height);
      all.add(new LabelledBox(id, name, m[0], m[1], m[2], m[3]));
    }
    return all;
  }

  /** A mapped box clipped to the image, or {@code null} when less than {@code minVisible} of it is left. */
  static LabelledBox visible(LabelledBox b, ImageGeometry geometry, double minVisible) {
    double area = (b.x2() - b.x1()) * (b.y2() - b.y1());
    double x1 = Math.max(0, b.x1());
    double y1 = Math.max(0, b.y1());
    double x2 = Math.min(geometry.width(), b.x2());
    double y2 = Math.min(geometry.height(), b.y2());
    if (x2 <= x1 || y2 <= y1 || (x2 - x1) * (y2 - y1) < minVisible * area) {
      return null;
    }
    return new LabelledBox(b.classId(), b.className(), x1, y1, x2, y2);
  }

  private static void checkImageSize(Entry entry, String attribute, Map<?, ?> job, ImageGeometry geometry) {
    if (job.get("image_size") instanceof List<?> sizes && !sizes.isEmpty() && sizes.get(0) instanceof Map<?, ?> size) {
      double w = GroundTruth.number(entry, attribute, size, "width");
      double h = GroundTruth.number(entry, attribute, size, "height");
      if (w != geometry.sourceWidth() || h != geometry.sourceHeight()) {
        throw entry.error("has image_size " + (long) w + "x" + (long) h + " in '" + attribute + "' but its image "
            + "decodes to " + geometry.sourceWidth() + "x" + geometry.sourceHeight());
      }
    }
  }

  /** One box kept: its class and its corners in output pixels. */
  record Box(int classIndex, double x1, double y1, double x2, double y2) {}

  record Boxes(String attribute, LabelMap classes, double minVisible, int gridWidth, int gridHeight, int maxBoxes)
      implements Target {
    Boxes {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(classes, "classes");
      if (!(minVisible >= 0 && minVisible <= 1)) {
        throw new IllegalArgumentException("min visible fraction must be in [0, 1]: " + minVisible);
      }
    }

    @Override
    public Features make(Entry entry, Features features, SampleContext context) {
      ImageGeometry geometry = GroundTruth.geometry(entry, features, this);
      List<Box> boxes = boxes(entry, geometry);
      return maxBoxes > 0 ? padded(entry, boxes) : yolo(boxes, geometry);
    }

    /** The entry's boxes mapped, clipped and filtered, in annotation order, with their classes' indices. */
    List<Box> boxes(Entry entry, ImageGeometry geometry) {
      List<Box> kept = new ArrayList<>();
      for (LabelledBox mapped : mapped(entry, attribute, geometry)) {
        int c = GroundTruth.classIndex(entry, attribute, mapped.classId(), mapped.className(), classes);
        LabelledBox b = visible(mapped, geometry, minVisible);
        if (b != null) {
          kept.add(new Box(c, b.x1(), b.y1(), b.x2(), b.y2()));
        }
      }
      return kept;
    }

    private Features padded(Entry entry, List<Box> boxes) {
      if (boxes.size() > maxBoxes) {
        throw entry.error("has " + boxes.size() + " boxes in '" + attribute + "', more than the " + maxBoxes
            + " a padded target holds");
      }
      float[] values = new float[maxBoxes * 5];
      for (int i = 0; i < maxBoxes; i++) {
        if (i < boxes.size()) {
          Box b = boxes.get(i);
          values[i * 5] = b.classIndex();
          values[i * 5 + 1] = (float) b.x1();
          values[i * 5 + 2] = (float) b.y1();
          values[i * 5 + 3] = (float) b.x2();
          values[i * 5 + 4] = (float) b.y2();
        } else {
          values[i * 5] = -1;
        }
      }
      return Features.of(values, maxBoxes, 5);
    }

    private Features yolo(List<Box> boxes, ImageGeometry geometry) {
      int channels = 4 + classes.size();
      int plane = gridWidth * gridHeight;
      float[] values = new float[channels * plane];
      double unitX = (double) gridWidth / geometry.width();
      double unitY = (double) gridHeight / geometry.height();
      boolean[] taken = new boolean[plane];
      for (Box b : boxes) {
        int gx = Math.min(gridWidth - 1, (int) Math.floor((b.x1() + b.x2()) / 2 * unitX));
        int gy = Math.min(gridHeight - 1, (int) Math.floor((b.y1() + b.y2()) / 2 * unitY));
        int cell = gy * gridWidth + gx;
        if (taken[cell]) {
          continue;
        }
        taken[cell] = true;
        values[cell] = (float) (b.x1() * unitX);
        values[plane + cell] = (float) (b.y1() * unitY);
        values[2 * plane + cell] = (float) (b.x2() * unitX);
        values[3 * plane + cell] = (float) (b.y2() * unitY);
        values[(4 + b.classIndex()) * plane + cell] = 1f;
      }
      return Features.of(values, channels, gridHeight, gridWidth);
    }

    @Override
    public String toString() {
      return maxBoxes > 0
          ? "boxes(" + attribute + ", padded " + maxBoxes + ", minVisible " + minVisible + ")"
          : "boxes(" + attribute + ", yolo " + gridWidth + "x" + gridHeight + ", minVisible " + minVisible + ")";
    }
  }
}
