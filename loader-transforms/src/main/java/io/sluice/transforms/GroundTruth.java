package io.sluice.transforms;

import io.sluice.loader.Entry;
import io.sluice.loader.Features;
import io.sluice.loader.manifest.LabelMap;
import java.util.Map;

/** Reading Ground Truth output shapes from an entry's attributes, shared by the box and mask targets. */
final class GroundTruth {
  private GroundTruth() {}

  /** The image features' geometry, or an error naming the entry. */
  static ImageGeometry geometry(Entry entry, Features features, Object target) {
    if (!(features instanceof ImageFeatures image)) {
      throw entry.error("gives " + target + " features " + features + " that do not say where their pixels came "
          + "from: end the chain with Images.imageToTensor, normalizeToTensor or byteTensor");
    }
    ImageGeometry geometry = image.geometry();
    if (!geometry.known()) {
      throw entry.error("went through a step whose geometry is not known (a DataVec transform): " + target
          + " cannot follow it; use Sluice's own geometric steps");
    }
    return geometry;
  }

  /** {@code <attribute>-metadata}'s {@code name} object, or null. */
  static Map<?, ?> metadataMap(Entry entry, String attribute, String name) {
    Object metadata = entry.attributes().get(attribute + "-metadata");
    if (metadata instanceof Map<?, ?> m && m.get(name) instanceof Map<?, ?> map) {
      return map;
    }
    return null;
  }

  /** A Ground Truth class id: a whole number, or an error naming the entry. */
  static long classId(Entry entry, String attribute, Object id) {
    if (!(id instanceof Long number)) {
      throw entry.error("has class_id " + id + " in '" + attribute + "', expected a whole number");
    }
    return number;
  }

  /**
   * The name {@code classMap} gives class id {@code id} ({@code class-map} values are names,
   * {@code internal-color-map} values objects with a {@code class-name}), or {@code null} without a class map.
   */
  static String className(Entry entry, String attribute, long id, Map<?, ?> classMap) {
    if (classMap == null) {
      return null;
    }
    Object name = classMap.get(String.valueOf(id));
    if (name instanceof Map<?, ?> described) { // internal-color-map entries: {"class-name": ..., "hex-color": ...}
      name = described.get("class-name");
    }
    if (!(name instanceof String className)) {
      throw entry.error("has class_id " + id + " in '" + attribute + "' that its class map " + classMap.keySet()
          + " does not name");
    }
    return className;
  }

  /**
   * The index in {@code classes} of class id {@code id} named {@code name} by its class map; without a class
   * map ({@code name == null}) the id is the index.
   */
  static int classIndex(Entry entry, String attribute, long id, String name, LabelMap classes) {
    if (name == null) {
      if (id < 0 || id >= classes.size()) {
        throw entry.error("has class_id " + id + " in '" + attribute + "' outside [0, " + classes.size()
            + ") and no class-map");
      }
      return (int) id;
    }
    int index = classes.indexOf(name);
    if (index < 0) {
      throw entry.error("has class '" + name + "' (id " + id + ") that is not one of " + classes.names());
    }
    return index;
  }

  static double number(Entry entry, String attribute, Map<?, ?> object, String field) {
    Object value = object.get(field);
    if (!(value instanceof Number n)) {
      throw entry.error("has " + field + " = " + value + " in '" + attribute + "', expected a number");
    }
    return n.doubleValue();
  }
}
