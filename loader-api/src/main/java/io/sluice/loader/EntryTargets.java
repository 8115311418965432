package io.sluice.loader;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The targets behind {@link Target}'s factories. */
final class EntryTargets {
  private EntryTargets() {}

  /** The entry's label, one-hot over the manifest's classes. */
  enum OneHot implements Target {
    INSTANCE;

    @Override
    public Features make(Entry entry, Features features, SampleContext context) {
      int label = entry.label();
      int classes = entry.manifest().labels().size();
      if (label == Manifest.NO_LABEL) {
        throw entry.error("has no label");
      }
      float[] values = new float[classes];
      values[label] = 1f;
      return Features.of(values, classes);
    }

    @Override
    public String toString() {
      return "oneHot";
    }
  }

  /** Ground Truth multi-label: a list of class ids and a class map, as k-hot. */
  record MultiHot(String attribute, LabelMap classes) implements Target {
    MultiHot {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(classes, "classes");
      if (classes.size() == 0) {
        throw new IllegalArgumentException("multiHot(" + attribute + ") needs at least one class");
      }
    }

    @Override
    public Features make(Entry entry, Features features, SampleContext context) {
      Object ids = entry.attribute(attribute);
      if (!(ids instanceof List<?> list)) {
        throw entry.error("has '" + attribute + "' = " + ids + ", expected a list of class ids like [0, 2]");
      }
      Map<?, ?> classMap = classMap(entry);
      float[] values = new float[classes.size()];
      for (Object id : list) {
        if (!(id instanceof Long number)) {
          throw entry.error("has class id " + id + " in '" + attribute + "', expected whole numbers");
        }
        int index;
        if (classMap != null) {
          Object name = classMap.get(String.valueOf(number));
          if (!(name instanceof String className)) {
            throw entry.error("has class id " + number + " in '" + attribute + "' that its class-map "
                + classMap.keySet() + " does not name");
          }
          index = classes.indexOf(className);
          if (index < 0) {
            throw entry.error("has class '" + className + "' (id " + number + ") that is not one of "
                + classes.names());
          }
        } else {
          if (number < 0 || number >= classes.size()) {
            throw entry.error("has class id " + number + " in '" + attribute + "' outside [0, " + classes.size()
                + ") and no class-map");
          }
          index = number.intValue();
        }
        values[index] = 1f;
      }
      return Features.of(values, classes.size());
    }

    private Map<?, ?> classMap(Entry entry) {
      Object metadata = entry.attributes().get(attribute + "-metadata");
      if (metadata instanceof Map<?, ?> m && m.get("class-map") instanceof Map<?, ?> map) {
        return map;
      }
      return null;
    }

    @Override
    public String toString() {
      return "multiHot(" + attribute + ", " + classes.size() + " classes)";
    }
  }

  /** Numeric attributes, optionally scaled. */
  record Values(List<String> names, float[] offset, float[] scale) implements Target {
    Values {
      names = List.copyOf(names);
      if (names.isEmpty()) {
        throw new IllegalArgumentException("values needs at least one attribute name");
      }
      if (offset != null && (offset.length != names.size() || scale.length != names.size())) {
        throw new IllegalArgumentException("values " + names + " need one offset and one scale each, got "
            + offset.length + " offsets and " + scale.length + " scales");
      }
      if (scale != null) {
        for (float s : scale) {
          if (s == 0 || !Float.isFinite(s)) {
            throw new IllegalArgumentException("scale must be finite and not 0: " + s);
          }
        }
      }
    }

    @Override
    public Features make(Entry entry, Features features, SampleContext context) {
      List<Float> out = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        Object value = entry.attribute(name);
        if (value instanceof List<?> list) {
          for (Object v : list) {
            out.add(scaled(entry, name, v, i));
          }
        } else {
          out.add(scaled(entry, name, value, i));
        }
      }
      float[] values = new float[out.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = out.get(i);
      }
      return Features.of(values, values.length);
    }

    private float scaled(Entry entry, String name, Object value, int i) {
      if (!(value instanceof Number number)) {
        throw entry.error("has '" + name + "' = " + (value instanceof String s ? "\"" + s + "\"" : value)
            + ", expected a number");
      }
      float v = number.floatValue();
      return offset == null ? v : (v - offset[i]) / scale[i];
    }

    @Override
    public String toString() {
      return "values" + names;
    }
  }
}
