package io.sluice.transforms;

import io.sluice.loader.Entry;
import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Target;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.store.StoredObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /**
   * One class of a mask's {@code internal-color-map}.
   *
   * @param id the class id, the map's key
   * @param name its {@code class-name}
   * @param rgb its {@code hex-color} as {@code 0xRRGGBB}
   */
  public record MaskClass(int id, String name, int rgb) {}

  /**
   * A mask as an image shows it.
   *
   * @param width the image's width
   * @param height the image's height
   * @param classIds the class id of each of the image's pixels, row-major: the key of its colour in the
   *     {@code internal-color-map} (or the mask's first channel without one), {@code -1} where the image shows
   *     no pixel of the decoded image (padding); not copied
   * @param classes the {@code internal-color-map} by class id, in file order; empty without one
   */
  public record ResampledMask(int width, int height, int[] classIds, Map<Integer, MaskClass> classes) {}

  /**
   * The URI of {@code entry}'s mask, the object {@code refAttribute} names: the companion a tool fetches and
   * hands over with {@link Entry#companions(Map)} before calling {@link #mask}.
   *
   * @throws io.sluice.loader.SluiceException naming the entry if the attribute is missing or not a URI
   */
  public static String maskUri(Entry entry, String refAttribute) {
    Object value = entry.attribute(refAttribute);
    if (!(value instanceof String uri) || uri.isEmpty()) {
      throw entry.error("has '" + refAttribute + "' = " + value + ", expected the mask's URI");
    }
    return uri;
  }

  /**
   * {@code entry}'s mask as an image of {@code geometry} shows it (e.g. a chain's output
   * {@link Image#geometry()}), for a tool that draws it: decoded from the companion {@link #maskUri} names,
   * each pixel's colour looked up in the colour map and resampled exactly as {@link #classIndices} and
   * {@link #oneHot} do.
   *
   * @throws io.sluice.loader.SluiceException naming the entry if the mask is missing, cannot be decoded, has
   *     another size than the decoded image or a colour its map does not hold
   */
  public static ResampledMask mask(Entry entry, String refAttribute, ImageGeometry geometry) {
    String uri = maskUri(entry, refAttribute);
    Image mask = decode(entry, uri, geometry, SampleContext.of(uri, 0));
    Map<Integer, MaskClass> colours = colourMap(entry, refAttribute);
    int[] ids = sourceIds(entry, mask, uri, colours);
    return new ResampledMask(geometry.width(), geometry.height(), resample(ids, geometry, -1),
        colours == null ? Map.of() : colours);
  }

  /** The mask companion {@code uri} decoded, of the decoded image's size. */
  private static Image decode(Entry entry, String uri, ImageGeometry geometry, SampleContext context) {
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
    return mask;
  }

  /** {@code <attribute>-metadata}'s {@code internal-color-map}, checked, or {@code null} if there is none. */
  private static Map<Integer, MaskClass> colourMap(Entry entry, String attribute) {
    Map<?, ?> colorMap = GroundTruth.metadataMap(entry, attribute, "internal-color-map");
    if (colorMap == null) {
      return null;
    }
    Map<Integer, MaskClass> classes = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : colorMap.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!key.matches("[0-9]{1,9}")) {
        throw entry.error("has class id '" + key + "' in '" + attribute + "-metadata', expected a whole number");
      }
      int id = Integer.parseInt(key);
      String name = GroundTruth.className(entry, attribute, id, colorMap);
      Object hex = e.getValue() instanceof Map<?, ?> m ? m.get("hex-color") : null;
      if (!(hex instanceof String h) || !h.matches("#[0-9a-fA-F]{6}")) {
        throw entry.error("has colour " + hex + " for class " + key + " in '" + attribute
            + "-metadata', expected \"#rrggbb\"");
      }
      classes.put(id, new MaskClass(id, name, Integer.parseInt(h.substring(1), 16)));
    }
    return classes;
  }

  /** The class id of every pixel of the mask as decoded: its colour's in {@code colours}, else its first channel. */
  private static int[] sourceIds(Entry entry, Image mask, String uri, Map<Integer, MaskClass> colours) {
    Map<Integer, Integer> byColour = new HashMap<>();
    if (colours != null) {
      for (MaskClass c : colours.values()) {
        byColour.put(c.rgb(), c.id());
      }
    }
    byte[] p = mask.pixels();
    int[] out = new int[mask.width() * mask.height()];
    for (int i = 0; i < out.length; i++) {
      int r = p[3 * i] & 0xFF;
      if (colours == null) {
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

  /** {@code source} (one value per pixel of the decoded image) resampled to {@code geometry}, nearest neighbour. */
  private static int[] resample(int[] source, ImageGeometry geometry, int outside) {
    int width = geometry.width();
    int height = geometry.height();
    int[] columns = new int[width];
    for (int x = 0; x < width; x++) {
      columns[x] = geometry.sourceX(x);
    }
    int[] out = new int[width * height];
    for (int y = 0; y < height; y++) {
      int sy = geometry.sourceY(y);
      for (int x = 0; x < width; x++) {
        int sx = columns[x];
        out[y * width + x] = sy < 0 || sx < 0 ? outside : source[sy * geometry.sourceWidth() + sx];
      }
    }
    return out;
  }

  record Mask(String attribute, LabelMap classes, boolean planes) implements Target {
    Mask {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(classes, "classes");
    }

    @Override
    public List<String> companions(Entry entry) {
      return List.of(maskUri(entry, attribute));
    }

    @Override
    public Features make(Entry entry, Features features, SampleContext context) {
      ImageGeometry geometry = GroundTruth.geometry(entry, features, this);
      String uri = maskUri(entry, attribute);
      Image mask = decode(entry, uri, geometry, context);
      Map<Integer, MaskClass> colours = colourMap(entry, attribute);
      int[] sourceClasses = sourceIds(entry, mask, uri, colours);
      if (colours != null) {
        Map<Integer, Integer> index = new HashMap<>();
        for (MaskClass c : colours.values()) {
          index.put(c.id(), GroundTruth.classIndex(entry, attribute, c.id(), c.name(), classes));
        }
        for (int i = 0; i < sourceClasses.length; i++) {
          sourceClasses[i] = index.get(sourceClasses[i]);
        }
      } else {
        for (int i = 0; i < sourceClasses.length; i++) {
          if (sourceClasses[i] >= classes.size()) {
            throw entry.error("has class index " + sourceClasses[i] + " in its mask " + uri + " at ("
                + i % mask.width() + ", " + i / mask.width() + "), outside [0, " + classes.size() + ")");
          }
        }
      }
      int[] resampled = resample(sourceClasses, geometry, 0);
      int plane = geometry.width() * geometry.height();
      float[] values = new float[planes ? classes.size() * plane : plane];
      for (int i = 0; i < plane; i++) {
        if (planes) {
          values[resampled[i] * plane + i] = 1f;
        } else {
          values[i] = resampled[i];
        }
      }
      return planes ? Features.of(values, classes.size(), geometry.height(), geometry.width())
          : Features.of(values, 1, geometry.height(), geometry.width());
    }

    @Override
    public String toString() {
      return "mask(" + attribute + (planes ? ", one-hot" : ", class indices") + ")";
    }
  }
}
