package io.sluice.manifest.tools;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.ManifestReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes manifests in any {@link ManifestFormat}, UTF-8, so that {@link ManifestReader} reads back the same
 * entries, labels and recorded size, ETag and version id.
 *
 * <p>ManifestFile and key lists hold one channel and record labels only as class folders, so writing an
 * entry whose class folder is not its class is refused. CSV and augmented manifests write labels as class
 * names (augmented: the class index plus Ground Truth's {@code <label>-metadata.class-name}); read them back
 * with the same {@link LabelMap} to keep an encoding that is not simply the sorted class names.
 * Instances are immutable and thread-safe.
 */
public final class ManifestWriter {
  private final ManifestFormat format;
  private final Attributes attributes;
  private final boolean pins;

  private ManifestWriter(Builder b) {
    this.format = b.format;
    this.attributes = new Attributes(b.sourceAttribute, b.labelAttribute, b.channelAttribute);
    this.pins = b.pins;
  }

  /**
   * Starts configuring a writer of {@code format}.
   *
   * @throws NullPointerException if {@code format} is null
   */
  public static Builder builder(ManifestFormat format) {
    return new Builder(Objects.requireNonNull(format, "format"));
  }

  /** The format written. */
  public ManifestFormat format() {
    return format;
  }

  /**
   * Writes one manifest, without naming a channel.
   *
   * @throws IllegalArgumentException if the format records labels only as class folders and an entry's
   *     class folder is not its class
   * @throws IOException if the stream cannot be written
   */
  public void write(Manifest manifest, OutputStream out) throws IOException {
    Objects.requireNonNull(manifest, "manifest");
    write(null, manifest, out);
  }

  /**
   * Writes one manifest to a file, replacing it.
   *
   * @see #write(Manifest, OutputStream)
   */
  public void write(Manifest manifest, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(manifest, out);
    }
  }

  /**
   * Writes several channels into one file; each entry names its channel. Only CSV and augmented manifests
   * hold channels.
   *
   * @throws IllegalArgumentException if the format holds one channel and {@code channels} has several, or
   *     the channels have different label maps
   * @throws IOException if the stream cannot be written
   */
  public void write(Map<String, Manifest> channels, OutputStream out) throws IOException {
    Objects.requireNonNull(channels, "channels");
    if (!format.holdsChannels()) {
      if (channels.size() != 1) {
        throw new IllegalArgumentException("a " + format.describe() + " holds one channel, not " + channels.keySet()
            + ": write each channel to its own file");
      }
      write(null, channels.values().iterator().next(), out);
      return;
    }
    LabelMap labels = null;
    for (Map.Entry<String, Manifest> e : channels.entrySet()) {
      if (labels != null && !labels.equals(e.getValue().labels())) {
        throw new IllegalArgumentException("channel " + e.getKey() + " has another label map than the others: "
            + "one file holds one encoding");
      }
      labels = e.getValue().labels();
    }
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    boolean[] columns = format == ManifestFormat.CSV ? writeCsvHeader(w, channels.values(), true) : null;
    for (Map.Entry<String, Manifest> e : channels.entrySet()) {
      writeEntries(w, e.getKey(), e.getValue(), columns);
    }
    w.flush();
  }

  /**
   * Writes several channels into one file, replacing it.
   *
   * @see #write(Map, OutputStream)
   */
  public void write(Map<String, Manifest> channels, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(channels, out);
    }
  }

  private void write(String channel, Manifest m, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    switch (format) {
      case MANIFEST_FILE -> {
        checkClassFolders(m);
        w.write("[\n{\"prefix\":" + quote(m.prefix()) + "}");
        for (int i = 0; i < m.size(); i++) {
          w.write(",\n");
          w.write(quote(m.key(i)));
        }
        w.write("\n]\n");
      }
      case KEYS -> {
        checkClassFolders(m);
        for (int i = 0; i < m.size(); i++) {
          String uri = m.uri(i);
          if (uri.indexOf('\n') >= 0 || uri.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a key list cannot hold the key '" + m.key(i)
                + "', which has a line break: use CSV or JSON");
          }
          w.write(uri);
          w.write('\n');
        }
      }
      case CSV -> {
        writeEntries(w, channel, m, writeCsvHeader(w, List.of(m), channel != null));
      }
      case AUGMENTED -> writeEntries(w, channel, m, null);
      default -> throw new IllegalStateException("format " + format);
    }
    w.flush();
  }

  /** Writes the header and returns which optional columns it has: channel, size, etag, version id. */
  private boolean[] writeCsvHeader(Writer w, Iterable<Manifest> manifests, boolean channel) throws IOException {
    boolean sizes = false;
    boolean etags = false;
    boolean versions = false;
    for (Manifest m : manifests) {
      sizes |= pins && m.recordsSizes();
      etags |= pins && m.recordsEtags();
      versions |= pins && m.recordsVersionIds();
    }
    w.write("uri,label");
    w.write(channel ? ",channel" : "");
    w.write(sizes ? ",size" : "");
    w.write(etags ? ",etag" : "");
    w.write(versions ? ",version_id" : "");
    w.write('\n');
    return new boolean[] {channel, sizes, etags, versions};
  }

  private void writeEntries(Writer w, String channel, Manifest m, boolean[] columns) throws IOException {
    LabelMap labels = m.labels();
    if (format == ManifestFormat.CSV) {
      StringBuilder row = new StringBuilder(128);
      for (int i = 0; i < m.size(); i++) {
        row.setLength(0);
        csvField(row, m.uri(i));
        row.append(',');
        int label = m.label(i);
        if (label != Manifest.NO_LABEL) {
          csvField(row, labels.name(label));
        }
        if (columns[0]) {
          row.append(',');
          csvField(row, channel);
        }
        if (columns[1]) {
          row.append(',');
          if (m.objectSize(i) >= 0) {
            row.append(m.objectSize(i));
          }
        }
        if (columns[2]) {
          row.append(',');
          if (m.etag(i) != null) {
            csvField(row, m.etag(i));
          }
        }
        if (columns[3]) {
          row.append(',');
          if (m.versionId(i) != null) {
            csvField(row, m.versionId(i));
          }
        }
        row.append('\n');
        w.append(row);
      }
      return;
    }
    String labelName = quote(attributes.label());
    String metadata = quote(attributes.label() + "-metadata");
    StringBuilder line = new StringBuilder(160);
    for (int i = 0; i < m.size(); i++) {
      line.setLength(0);
      line.append('{').append(quote(attributes.source())).append(':').append(quote(m.uri(i)));
      int label = m.label(i);
      line.append(',').append(labelName).append(':');
      if (label == Manifest.NO_LABEL) {
        line.append("null");
      } else {
        line.append(label).append(',').append(metadata).append(":{\"class-name\":")
            .append(quote(labels.name(label))).append('}');
      }
      if (channel != null) {
        line.append(',').append(quote(attributes.channel())).append(':').append(quote(channel));
      }
      if (pins) {
        if (m.objectSize(i) >= 0) {
          line.append(",\"size\":").append(m.objectSize(i));
        }
        if (m.etag(i) != null) {
          line.append(",\"etag\":").append(quote(m.etag(i)));
        }
        if (m.versionId(i) != null) {
          line.append(",\"version-id\":").append(quote(m.versionId(i)));
        }
      }
      line.append("}\n");
      w.append(line);
    }
  }

  /** The augmented-manifest attribute names. */
  private record Attributes(String source, String label, String channel) {}

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    return sb.append('"').toString();
  }

  private static void csvField(StringBuilder row, String value) {
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    // A value with leading or trailing blanks is quoted too, so no reader trims it away.
    quote |= !value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ');
    if (!quote) {
      row.append(value);
      return;
    }
    row.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        row.append('"');
      }
      row.append(c);
    }
    row.append('"');
  }

  private void checkClassFolders(Manifest m) {
    LabelMap labels = m.labels();
    for (int i = 0; i < m.size(); i++) {
      int label = m.label(i);
      if (label == Manifest.NO_LABEL) {
        continue;
      }
      String key = m.key(i);
      String folder = ChannelSplit.classFolder(key);
      if (!labels.name(label).equals(folder)) {
        throw new IllegalArgumentException("a " + format.describe() + " records labels only as class folders, but '"
            + key + "' is labelled '" + labels.name(label) + "': use CSV or an augmented manifest");
      }
    }
  }

  @Override
  public String toString() {
    return "ManifestWriter{" + format + "}";
  }

  /** Configures a {@link ManifestWriter}. Not thread-safe. */
  public static final class Builder {
    private final ManifestFormat format;
    private String sourceAttribute = "source-ref";
    private String labelAttribute = "class";
    private String channelAttribute = "channel";
    private boolean pins = true;

    private Builder(ManifestFormat format) {
      this.format = format;
    }

    /**
     * Sets the augmented-manifest attribute for each object's URI. Default {@code source-ref}.
     *
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder sourceAttribute(String name) {
      this.sourceAttribute = requireName(name, "source attribute");
      return this;
    }

    /**
     * Sets the augmented-manifest attribute for each label. Default {@code class}.
     *
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder labelAttribute(String name) {
      this.labelAttribute = requireName(name, "label attribute");
      return this;
    }

    /**
     * Sets the augmented-manifest attribute naming each entry's channel, written when several channels share
     * a file. Default {@code channel}.
     *
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder channelAttribute(String name) {
      this.channelAttribute = requireName(name, "channel attribute");
      return this;
    }

    /**
     * Whether CSV and augmented manifests record each entry's size, ETag and version id where the manifest
     * has them. Default {@code true}.
     */
    public Builder pins(boolean pins) {
      this.pins = pins;
      return this;
    }

    private static String requireName(String name, String what) {
      Objects.requireNonNull(name, what);
      if (name.isEmpty()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
      return name;
    }

    /** The writer. */
    public ManifestWriter build() {
      return new ManifestWriter(this);
    }
  }
}
