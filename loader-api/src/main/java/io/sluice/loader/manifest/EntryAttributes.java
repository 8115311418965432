package io.sluice.loader.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The attributes of each entry of a {@link Manifest} read from an AugmentedManifestFile: everything on the
 * entry's JSON line besides its source, e.g. a Ground Truth job's {@code annotations}, a multi-label list of
 * class ids and its {@code class-map}, numeric values, or the {@code ...-ref} of a segmentation mask.
 *
 * <pre>{@code
 * Manifest train = Manifests.reader().build().readChannels(file).get("train");
 * EntryAttributes attributes = EntryAttributes.read(file, train);
 * Map<String, Object> line = attributes.get(0);   // {"source-ref": ..., "bbox": {"annotations": [...]}, ...}
 * }</pre>
 *
 * <p>Each line is kept as its UTF-8 bytes and parsed when asked for, into plain Java values: a JSON object
 * becomes a {@code Map<String, Object>} (in file order), an array a {@code List<Object>}, a number a
 * {@link Long} or {@link Double}, and {@code true}, {@code false}, strings and {@code null} themselves. Lines
 * whose source is not in the manifest (another channel's) are ignored. Instances are immutable and
 * thread-safe.
 */
public final class EntryAttributes {
  private final String source;
  private final byte[][] lines;
  private final long[] lineNumbers;

  private EntryAttributes(String source, byte[][] lines, long[] lineNumbers) {
    this.source = source;
    this.lines = lines;
    this.lineNumbers = lineNumbers;
  }

  /**
   * Reads the attributes of {@code manifest}'s entries from an augmented manifest file whose lines name their
   * object in {@code source-ref}.
   *
   * @throws ManifestException naming the file and line if a line is not a JSON object or names one object twice
   * @throws IOException if the file cannot be read
   */
  public static EntryAttributes read(Path file, Manifest manifest) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), manifest, "source-ref");
    }
  }

  /**
   * Reads the attributes of {@code manifest}'s entries from an augmented manifest (JSON Lines), which is not
   * closed.
   *
   * @param source the name to use in error messages
   * @param sourceAttribute the attribute that holds each line's object URI, e.g. {@code source-ref}
   * @throws ManifestException naming the source and line if a line is not a JSON object or names one object twice
   * @throws IOException if the stream cannot be read
   */
  public static EntryAttributes read(InputStream in, String source, Manifest manifest, String sourceAttribute)
      throws IOException {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(sourceAttribute, "sourceAttribute");
    Map<String, Integer> byUri = new HashMap<>(manifest.size() * 2);
    for (int i = 0; i < manifest.size(); i++) {
      byUri.put(manifest.uri(i), i);
    }
    byte[][] lines = new byte[manifest.size()][];
    long[] numbers = new long[manifest.size()];
    byte[] all = in.readAllBytes();
    int start = 0;
    long lineNumber = 0;
    while (start < all.length) {
      int end = start;
      while (end < all.length && all[end] != '\n') {
        end++;
      }
      lineNumber++;
      byte[] line = java.util.Arrays.copyOfRange(all, start, end);
      start = end + 1;
      if (isBlank(line)) {
        continue;
      }
      Map<String, Object> object = parse(line, source, lineNumber);
      if (!(object.get(sourceAttribute) instanceof String uri)) {
        throw new ManifestException(source, lineNumber, 1, "no '" + sourceAttribute + "' string attribute");
      }
      Integer index = byUri.get(uri);
      if (index == null) {
        continue;
      }
      if (lines[index] != null) {
        throw new ManifestException(source, lineNumber, 1, "'" + uri + "' appears again (first on line "
            + numbers[index] + ")");
      }
      lines[index] = line;
      numbers[index] = lineNumber;
    }
    return new EntryAttributes(source, lines, numbers);
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** The number of entries, that of the manifest read against. */
  public int size() {
    return lines.length;
  }

  /**
   * Entry {@code index}'s attributes, parsed afresh on every call, or {@code null} if the file has no line for it.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not an entry of the manifest
   */
  public Map<String, Object> get(int index) {
    Objects.checkIndex(index, lines.length);
    return lines[index] == null ? null : parse(lines[index], source, lineNumbers[index]);
  }

  /** Where entry {@code index}'s attributes were read, e.g. {@code train.manifest line 12}, for error messages. */
  public String where(int index) {
    Objects.checkIndex(index, lines.length);
    return lines[index] == null ? source + " (no line)" : source + " line " + lineNumbers[index];
  }

  /** The JSON text of one line as plain Java values; the line must hold one object. */
  static Map<String, Object> parse(byte[] line, String source, long lineNumber) {
    try (JsonParser p = JsonFormats.JSON.createParser(line)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new ManifestException(source, lineNumber, 1, "expected one JSON object per line, found " + t);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) value(p, t);
      if (p.nextToken() != null) {
        throw new ManifestException(source, lineNumber, p.currentTokenLocation().getColumnNr(),
            "a second JSON value on one line: expected one object per line (JSON Lines)");
      }
      return object;
    } catch (JsonParseException e) {
      JsonLocation at = e.getLocation();
      throw new ManifestException(source, lineNumber, at == null ? 0 : at.getColumnNr(),
          "malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
          String name = p.currentName();
          map.put(name, value(p, p.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          list.add(value(p, e));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalStateException("unexpected JSON token " + t);
    }
  }

  @Override
  public String toString() {
    int present = 0;
    for (byte[] line : lines) {
      present += line == null ? 0 : 1;
    }
    return "EntryAttributes{" + source + ", " + present + " of " + lines.length + " entries}";
  }
}
