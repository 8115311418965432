package io.sluice.loader.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the entries a reader parses into one manifest per channel, with one label encoding shared by all
 * channels, and checks what can only be checked at the end: class folders, duplicate keys.
 */
final class ChannelCollector {
  private final String source;
  private final LabelMap fixed;
  private final List<String> allowedChannels;
  private final String defaultChannel;
  private String prefix; // null: infer the longest common directory at the end
  private boolean prefixFromFile;
  /**
   * While the prefix is inferred: the bucket root (e.g. {@code s3://bucket/}) of the first URI, which keys
   * are stored without until a URI does not start with it, so they take less memory while reading.
   */
  private String root;
  private final Map<String, Integer> provisional = new HashMap<>();
  private final List<String> provisionalNames = new ArrayList<>();
  private final Map<String, Channel> channels = new LinkedHashMap<>();

  private static final class Channel {
    final String name;
    final Manifest.Builder builder;
    int[] lines = new int[64];

    Channel(String name, String prefix) {
      this.name = name;
      this.builder = Manifest.Builder.unchecked(prefix).channel(name);
    }
  }

  ChannelCollector(String source, LabelMap fixed, List<String> allowedChannels, String defaultChannel, String prefix) {
    this.source = source;
    this.fixed = fixed;
    this.allowedChannels = allowedChannels;
    this.defaultChannel = defaultChannel;
    this.prefix = prefix;
  }

  /**
   * Throws, naming the line and column, unless {@code name} is an allowed channel.
   *
   * @param name a channel named on a line
   */
  void checkChannel(String name, long line, long column) {
    if (name.isEmpty()) {
      throw new ManifestException(source, line, column, "empty channel: expected a name such as 'train'");
    }
    if (allowedChannels != null && !allowedChannels.contains(name)) {
      throw new ManifestException(source, line, column, "unknown channel '" + name + "': expected one of "
          + allowedChannels);
    }
  }

  String source() {
    return source;
  }

  /** Sets the prefix keys are relative to, as a file names it; before any entry is added. */
  void setPrefix(String prefix) {
    if (!channels.isEmpty()) {
      throw new IllegalStateException("the prefix must be set before entries are added");
    }
    this.prefix = prefix;
    this.prefixFromFile = true;
  }

  boolean hasLabelMap() {
    return fixed != null;
  }

  boolean isKnownClass(String className) {
    return fixed != null && fixed.indexOf(className) >= 0;
  }

  /** The label of class {@code className}: its index in the fixed map, or a provisional id. */
  int labelOfClass(String className, String key, long line, long column) {
    if (fixed != null) {
      int label = fixed.indexOf(className);
      if (label < 0) {
        throw new ManifestException(source, line, column, "class '" + className + "' of key '" + key
            + "' is not in the label map " + abbreviate(fixed.names()));
      }
      return label;
    }
    Integer id = provisional.get(className);
    if (id == null) {
      if (className.isEmpty() || className.indexOf('\n') >= 0 || className.indexOf('\t') >= 0
          || className.indexOf('\r') >= 0) {
        throw new ManifestException(source, line, column, "class name '" + className + "' of key '" + key
            + "': expected a non-empty name without tabs or line breaks");
      }
      id = provisional.size();
      provisional.put(className, id);
      provisionalNames.add(className);
    }
    return id;
  }

  /** The label given as an index into the fixed label map. */
  int labelOfIndex(long index, String key, long line, long column) {
    if (fixed == null) {
      throw new ManifestException(source, line, column, "label " + index + " of key '" + key
          + "' is a class index, which needs a label map (ManifestReader.Builder.labels, --labels FILE); "
          + "or give the class name");
    }
    if (index < 0 || index >= fixed.size()) {
      throw new ManifestException(source, line, column, "label " + index + " of key '" + key
          + "' is out of range: expected a class index in [0, " + fixed.size() + ") of the label map "
          + abbreviate(fixed.names()));
    }
    return (int) index;
  }

  /**
   * Adds an entry whose location is a URI or a key relative to the prefix.
   *
   * @param channel the channel named on the line, or {@code null} for the default channel
   */
  void addLocation(String channel, String location, int label, long size, String etag, String versionId,
      long line, long column) {
    String key = location;
    if (location.isEmpty()) {
      throw new ManifestException(source, line, column, "empty key: expected a key or URI");
    }
    if (prefix == null) {
      if (root == null) {
        root = rootOf(location);
      }
      if (!location.startsWith(root) || location.length() == root.length()) {
        for (Channel c : channels.values()) {
          c.builder.prependToKeys(root);
        }
        root = "";
      }
      key = location.substring(root.length());
    } else if (!prefix.isEmpty()) {
      if (location.startsWith(prefix)) {
        key = location.substring(prefix.length());
        if (key.isEmpty()) {
          throw new ManifestException(source, line, column, "'" + location + "' is the prefix itself: expected an "
              + "object under it");
        }
      } else if (location.contains("://")) {
        throw new ManifestException(source, line, column, "URI '" + location + "' is not under the prefix '"
            + prefix + "'");
      }
    }
    addKey(channel, key, label, size, etag, versionId, line, column);
  }

  /** {@code scheme://authority/} of a URI, or the empty string for a key. */
  private static String rootOf(String location) {
    int scheme = location.indexOf("://");
    if (scheme <= 0) {
      return "";
    }
    int slash = location.indexOf('/', scheme + 3);
    return slash < 0 ? "" : location.substring(0, slash + 1);
  }

  /** Adds an entry whose key is relative to the prefix. */
  void addKey(String channel, String key, int label, long size, String etag, String versionId, long line,
      long column) {
    if (size < -1) {
      throw new ManifestException(source, line, column, "size " + size + " of key '" + key
          + "': expected a size in bytes, 0 or more");
    }
    Channel c = channel(channel, line, column);
    try {
      c.builder.addUnchecked(key, label, size, etag, versionId);
    } catch (IllegalArgumentException e) {
      throw new ManifestException(source, line, column, e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new ManifestException(source, line, column, e.getMessage(), e);
    }
    int n = c.builder.size();
    if (n > c.lines.length) {
      c.lines = Arrays.copyOf(c.lines, (int) Math.min(Integer.MAX_VALUE - 16, c.lines.length * 2L));
    }
    c.lines[n - 1] = (int) Math.min(line, Integer.MAX_VALUE);
  }

  private Channel channel(String name, long line, long column) {
    String n = name == null ? defaultChannel : name;
    Channel c = channels.get(n);
    if (c == null) {
      if (name != null) {
        checkChannel(name, line, column);
      }
      c = new Channel(n, prefix == null ? "" : prefix);
      channels.put(n, c);
    }
    return c;
  }

  /**
   * The manifests, one per channel in the order of the allowed channels (then of first appearance); a
   * file without entries gives the default channel, empty.
   *
   * @param classFolders whether to label each entry by the first segment of its key under the prefix
   */
  Map<String, Manifest> finish(boolean classFolders) {
    if (channels.isEmpty()) {
      channel(null, 0, 0);
    }
    List<Channel> ordered = new ArrayList<>(channels.values());
    if (allowedChannels != null) {
      ordered.sort((a, b) -> Integer.compare(rank(a.name), rank(b.name)));
    }
    LabelMap placeholder = LabelMap.ordered(List.of());
    Manifest[] built = new Manifest[ordered.size()];
    for (int c = 0; c < built.length; c++) {
      built[c] = ordered.get(c).builder.build(placeholder, null);
    }
    if (prefix == null) {
      int common = commonDirectory(built);
      for (int c = 0; c < built.length; c++) {
        built[c] = built[c].withPrefixHead(root == null ? "" : root).rebased(common);
      }
    }
    int[][] labels = new int[built.length][];
    for (int c = 0; c < built.length; c++) {
      Manifest m = built[c];
      labels[c] = new int[m.size()];
      for (int i = 0; i < m.size(); i++) {
        labels[c][i] = classFolders ? classFolderLabel(m, i, ordered.get(c).lines[i]) : m.label(i);
      }
    }
    LabelMap map = fixed;
    if (map == null) {
      map = LabelMap.sorted(provisionalNames);
      int[] remap = new int[provisionalNames.size()];
      for (int id = 0; id < remap.length; id++) {
        remap[id] = map.indexOf(provisionalNames.get(id));
      }
      for (int[] ls : labels) {
        for (int i = 0; i < ls.length; i++) {
          if (ls[i] != Manifest.NO_LABEL) {
            ls[i] = remap[ls[i]];
          }
        }
      }
    }
    Map<String, Manifest> out = new LinkedHashMap<>();
    for (int c = 0; c < built.length; c++) {
      built[c] = built[c].relabelled(labels[c], map);
      out.put(ordered.get(c).name, built[c]);
    }
    int[][] lines = new int[built.length][];
    String[] names = new String[built.length];
    for (int c = 0; c < built.length; c++) {
      lines[c] = ordered.get(c).lines;
      names[c] = ordered.get(c).name;
    }
    new CrossChannelCheck(built, names).checkNoDuplicates(source, lines, !prefixFromFile);
    return out;
  }

  private int rank(String channel) {
    int r = allowedChannels.indexOf(channel);
    return r < 0 ? Integer.MAX_VALUE : r;
  }

  private int classFolderLabel(Manifest m, int i, int line) {
    String key = m.key(i);
    String folder = classFolder(key);
    if (folder == null) {
      String under = prefix == null ? " under the inferred prefix '" + m.prefix()
          + "' (set the prefix the class folders sit under)" : "";
      throw new ManifestException(source, line, 0, "key '" + key + "' has no class folder" + under
          + ": expected '<class>/<name>'");
    }
    return labelOfClass(folder, key, line, 0);
  }

  /** The first path segment of {@code key}, or {@code null} if it has none. */
  static String classFolder(String key) {
    int slash = key.indexOf('/');
    return slash <= 0 ? null : key.substring(0, slash);
  }

  private static int commonDirectory(Manifest[] manifests) {
    String common = null;
    for (Manifest m : manifests) {
      if (m.size() == 0) {
        continue;
      }
      int length = m.keyColumn().commonDirectoryLength();
      String candidate = new String(Arrays.copyOf(m.key(0).getBytes(StandardCharsets.UTF_8), length),
          StandardCharsets.UTF_8);
      if (common == null) {
        common = candidate;
      } else {
        int k = 0;
        while (k < common.length() && k < candidate.length() && common.charAt(k) == candidate.charAt(k)) {
          k++;
        }
        common = common.substring(0, common.lastIndexOf('/', k - 1) + 1);
      }
    }
    return common == null ? 0 : common.getBytes(StandardCharsets.UTF_8).length;
  }

  static String abbreviate(List<String> names) {
    if (names.size() <= 20) {
      return names.toString();
    }
    return names.subList(0, 20).toString().replace("]", ", ... " + (names.size() - 20) + " more]");
  }
}
