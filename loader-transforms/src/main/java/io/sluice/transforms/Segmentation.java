package io.sluice.transforms;

import io.sluice.loader.Entry;
import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Target;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.store.StoredObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Semantic segmentation targets from Ground Truth output: the mask object an entry references, fetched with
 * its image and moved with it.
 *
 * <p>The attributes are what a Ground Truth semantic segmentation job writes:
 * <pre>{@code
 * "mask-ref": "s3://bucket/masks/0001.png",
 * "mask-ref-metadata": {"internal-color-map": {"0": {"class-name": "BACKGROUND", "hex-color": "#ffffff"},
 *                                              "1": {"class-name": "circle", "hex-color": "#2ca02c"}}, ...}
 * }</pre>
 *
 * <p>The loader fetches the mask through the same fetch chain as the image (cache, retries, metrics). Each mask
 * pixel's colour is looked up in the colour map and its class name in {@code classes}; without a colour map a
 * mask pixel's first channel is its class index. The mask must have the decoded image's size. It is then
 * resampled through the {@link ImageGeometry} of the chain's output, nearest neighbour: every crop, pad,
 * resize, flip and RandomResizedCrop moves it from the same random draw as the image. Pixels from outside the
 * image (padding) get class 0. A missing mask object, a mask of another size, or a colour the map does not
 * hold fails naming the entry (or is skipped under the skip policy).
 */
public final class Segmentation {
  private Segmentation() {}

  /** The mask as class indices, {@code [1, H, W]} floats, for e.g. a sparse cross-entropy loss. */
  public static Target classIndices(String refAttribute, LabelMap classes) {
    return new Mask(refAttribute, classes, false);
  }

  /** The mask as one-hot planes, {@code [C, H, W]}, for DL4J's {@code CnnLossLayer} with softmax. */
  public static Target oneHot(String refAttribute, LabelMap classes) {
    return new Mask(refAttribute, classes, true);
  }

  record Mask(String attribute, LabelMap classes, boolean planes) implements Target {
    Mask {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(classes, "classes");
    }

    @Override
    public List<String> companions(Entry entry) {
      return List.of(uri(entry));
    }

    private String uri(Entry entry) {
      Object value = entry.attribute(attribute);
      if (!(value instanceof String uri) || uri.isEmpty()) {
        throw entry.error("has '" + attribute + "' = " + value + ", expected the mask's URI");
      }
      return uri;
    }

    @Override
    public Features make(Entry entry, Features features, SampleContext context) {
      ImageGeometry geometry = GroundTruth.geometry(entry, features, this);
      String uri = uri(entry);
      StoredObject object = entry.companion(uri);
      Image mask;
      try {
        mask = Images.decode(3).apply(object, context);
      } catch (RuntimeException e) {
        throw entry.error("has a mask " + uri + " that cannot be decoded: " + e.getMessage());
      }
      if (mask.width() != geometry.sourceWidth() || mask.height() != geometry.sourceHeight()) {
        throw entry.error("has a " + mask.width() + "x" + mask.height() + " mask " + uri + " but its image is "
            + geometry.sourceWidth() + "x" + geometry.sourceHeight());
      }
      int[] sourceClasses = classesOf(entry, mask, uri);
      int width = geometry.width();
      int height = geometry.height();
      int[] columns = new int[width];
      for (int x = 0; x < width; x++) {
        columns[x] = geometry.sourceX(x);
      }
      int plane = width * height;
      float[] values = new float[planes ? classes.size() * plane : plane];
      for (int y = 0; y < height; y++) {
        int sy = geometry.sourceY(y);
        for (int x = 0; x < width; x++) {
          int sx = columns[x];
          int c = sy < 0 || sx < 0 ? 0 : sourceClasses[sy * mask.width() + sx];
          if (planes) {
            values[c * plane + y * width + x] = 1f;
          } else {
            values[y * width + x] = c;
          }
        }
      }
      return planes ? Features.of(values, classes.size(), height, width) : Features.of(values, 1, height, width);
    }

    /** The class index of every pixel of the mask as decoded. */
    private int[] classesOf(Entry entry, Image mask, String uri) {
      Map<?, ?> colorMap = GroundTruth.metadataMap(entry, attribute, "internal-color-map");
      Map<Integer, Integer> byColour = new HashMap<>();
      if (colorMap != null) {
        for (Map.Entry<?, ?> e : colorMap.entrySet()) {
          int c = GroundTruth.classIndex(entry, attribute, Long.valueOf(String.valueOf(e.getKey())), colorMap, classes);
          Object hex = e.getValue() instanceof Map<?, ?> m ? m.get("hex-color") : null;
          if (!(hex instanceof String h) || !h.matches("#[0-9a-fA-F]{6}")) {
            throw entry.error("has colour " + hex + " for class " + e.getKey() + " in '" + attribute
                + "-metadata', expected \"#rrggbb\"");
          }
          byColour.put(Integer.parseInt(h.substring(1), 16), c);
        }
      }
      byte[] p = mask.pixels();
      int[] out = new int[mask.width() * mask.height()];
      for (int i = 0; i < out.length; i++) {
        int r = p[3 * i] & 0xFF;
        if (colorMap == null) {
          if (r >= classes.size()) {
            throw entry.error("has class index " + r + " in its mask " + uri + " at (" + i % mask.width() + ", "
                + i / mask.width() + "), outside [0, " + classes.size() + ")");
          }
          out[i] = r;
          continue;
        }
        int rgb = (r << 16) | ((p[3 * i + 1] & 0xFF) << 8) | (p[3 * i + 2] & 0xFF);
        Integer c = byColour.get(rgb);
        if (c == null) {
          throw entry.error("has colour #" + String.format("%06x", rgb) + " in its mask " + uri + " at ("
              + i % mask.width() + ", " + i / mask.width() + ") that its internal-color-map does not hold");
        }
        out[i] = c;
      }
      return out;
    }

    @Override
    public String toString() {
      return "mask(" + attribute + (planes ? ", one-hot" : ", class indices") + ")";
    }
  }
}
