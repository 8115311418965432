package io.sluice.loader.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A stable mapping between class names and label indices {@code 0..size()-1}.
 *
 * <p>Built from class names it sorts them, so the same set of classes always gets the same encoding.
 * Saved with {@link #write(Path)} it becomes the record that a trained model's outputs are read against;
 * read it back with {@link #read(Path)}.
 *
 * <p>The file format is one line per class, {@code <index>\t<name>}, in index order.
 */
public final class LabelMap {
  private final List<String> names;
  private final Map<String, Integer> indices;

  private LabelMap(List<String> names) {
    this.names = List.copyOf(names);
    this.indices = new HashMap<>();
    for (int i = 0; i < this.names.size(); i++) {
      String name = this.names.get(i);
      if (name.isEmpty() || name.indexOf('\n') >= 0 || name.indexOf('\t') >= 0) {
        throw new IllegalArgumentException("class name must be non-empty without tabs or line breaks: '" + name + "'");
      }
      if (indices.put(name, i) != null) {
        throw new IllegalArgumentException("class name '" + name + "' appears twice");
      }
    }
  }

  /** The classes in sorted order, so that the encoding depends only on the set of names. */
  public static LabelMap sorted(Collection<String> classNames) {
    return new LabelMap(new ArrayList<>(new TreeSet<>(classNames)));
  }

  /** The classes in exactly the order given: index {@code i} is {@code names.get(i)}. */
  public static LabelMap ordered(List<String> names) {
    return new LabelMap(names);
  }

  /** The number of classes. */
  public int size() {
    return names.size();
  }

  /** The name of class {@code index}. */
  public String name(int index) {
    Objects.checkIndex(index, names.size());
    return names.get(index);
  }

  /** The index of class {@code name}, or {@code -1} if it is not in the map. */
  public int indexOf(String name) {
    Integer i = indices.get(name);
    return i == null ? -1 : i;
  }

  /** The class names in index order. */
  public List<String> names() {
    return names;
  }

  /** Saves the map as {@code <index>\t<name>} lines. */
  public void write(Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      sb.append(i).append('\t').append(names.get(i)).append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  /**
   * Reads a map saved by {@link #write(Path)}.
   *
   * @throws ManifestException naming the file and line when a line is malformed or out of order
   */
  public static LabelMap read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      String expected = "expected '" + names.size() + "\\t<class name>'";
      if (tab < 0) {
        throw new ManifestException(file.toString(), i + 1, 0, "'" + line + "': " + expected);
      }
      String index = line.substring(0, tab);
      if (!index.equals(Integer.toString(names.size()))) {
        throw new ManifestException(file.toString(), i + 1, 1, "index '" + index + "': " + expected);
      }
      names.add(line.substring(tab + 1));
    }
    try {
      return new LabelMap(names);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(file.toString(), 0, 0, e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMap m && names.equals(m.names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  @Override
  public String toString() {
    return "LabelMap" + names;
  }
}
