package io.sluice.manifest.tools;

import io.sluice.loader.manifest.Manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How many entries each class has in each channel, for summaries and checks.
 *
 * <p>Classes are matched by name, so channels read with different label maps count together; entries
 * without a label count under {@link #UNLABELLED}. Immutable.
 */
public final class ClassCounts {
  /** The row that counts entries without a label. */
  public static final String UNLABELLED = "(no label)";

  private final List<String> channels;
  private final Map<String, int[]> counts;

  private ClassCounts(List<String> channels, Map<String, int[]> counts) {
    this.channels = List.copyOf(channels);
    this.counts = counts;
  }

  /**
   * Counts the entries of {@code channels}. Every class of every label map gets a row, even with no entries;
   * classes appear in the order of the first channel's label map, then of the others'.
   *
   * @throws NullPointerException if {@code channels} is null
   */
  public static ClassCounts of(Map<String, Manifest> channels) {
    List<String> names = new ArrayList<>(channels.keySet());
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (Manifest m : channels.values()) {
      for (String name : m.labels().names()) {
        counts.computeIfAbsent(name, n -> new int[names.size()]);
      }
    }
    int c = 0;
    for (Manifest m : channels.values()) {
      int[] perLabel = new int[m.labels().size()];
      int unlabelled = 0;
      for (int i = 0; i < m.size(); i++) {
        int label = m.label(i);
        if (label == Manifest.NO_LABEL) {
          unlabelled++;
        } else {
          perLabel[label]++;
        }
      }
      for (int l = 0; l < perLabel.length; l++) {
        counts.get(m.labels().name(l))[c] += perLabel[l];
      }
      if (unlabelled > 0) {
        counts.computeIfAbsent(UNLABELLED, n -> new int[names.size()])[c] += unlabelled;
      }
      c++;
    }
    return new ClassCounts(names, counts);
  }

  /** The channel names, in order. */
  public List<String> channels() {
    return channels;
  }

  /** The class names, in order, then {@link #UNLABELLED} if any entry has no label. */
  public List<String> classes() {
    return List.copyOf(counts.keySet());
  }

  /**
   * The number of entries of class {@code className} in {@code channel}; {@code 0} for a class or channel
   * not counted.
   */
  public int count(String className, String channel) {
    int[] row = counts.get(Objects.requireNonNull(className, "className"));
    int c = channels.indexOf(Objects.requireNonNull(channel, "channel"));
    return row == null || c < 0 ? 0 : row[c];
  }

  /** The number of entries of class {@code className} in every channel. */
  public int total(String className) {
    int[] row = counts.get(Objects.requireNonNull(className, "className"));
    int sum = 0;
    if (row != null) {
      for (int n : row) {
        sum += n;
      }
    }
    return sum;
  }

  /** A text table, one row per class and a total row, one column per channel and a total column. */
  public String table() {
    int nameWidth = "total".length();
    for (String name : counts.keySet()) {
      nameWidth = Math.max(nameWidth, name.length());
    }
    nameWidth = Math.min(nameWidth, 40);
    List<String> header = new ArrayList<>(channels);
    header.add("total");
    int[] widths = new int[header.size()];
    for (int k = 0; k < widths.length; k++) {
      widths[k] = Math.max(8, header.get(k).length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(pad("class", nameWidth));
    for (int k = 0; k < header.size(); k++) {
      sb.append("  ").append(String.format(Locale.ROOT, "%" + widths[k] + "s", header.get(k)));
    }
    sb.append('\n');
    int[] columnTotals = new int[channels.size()];
    for (Map.Entry<String, int[]> row : counts.entrySet()) {
      sb.append(pad(row.getKey(), nameWidth));
      int sum = 0;
      for (int c = 0; c < channels.size(); c++) {
        sb.append("  ").append(String.format(Locale.ROOT, "%" + widths[c] + "d", row.getValue()[c]));
        sum += row.getValue()[c];
        columnTotals[c] += row.getValue()[c];
      }
      sb.append("  ").append(String.format(Locale.ROOT, "%" + widths[channels.size()] + "d", sum)).append('\n');
    }
    sb.append(pad("total", nameWidth));
    int all = 0;
    for (int c = 0; c < channels.size(); c++) {
      sb.append("  ").append(String.format(Locale.ROOT, "%" + widths[c] + "d", columnTotals[c]));
      all += columnTotals[c];
    }
    sb.append("  ").append(String.format(Locale.ROOT, "%" + widths[channels.size()] + "d", all)).append('\n');
    return sb.toString();
  }

  private static String pad(String s, int width) {
    String cut = s.length() > width ? s.substring(0, width - 3) + "..." : s;
    return cut + " ".repeat(width - cut.length());
  }

  @Override
  public String toString() {
    return "ClassCounts{" + counts.size() + " classes, channels " + channels + "}";
  }
}
