package io.sluice.loader.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletionException;

/**
 * Reads and writes manifests.
 *
 * <p>Labels come from the class folder: the first path segment of each key under the prefix, so
 * {@code s3://bucket/train/cat/001.jpg} with prefix {@code s3://bucket/train/} is class {@code cat}. Without
 * a label map the classes found are encoded in sorted order; with one (read back from a saved file) a
 * class missing from it is an error.
 *
 * <p>Every reading error is a {@link ManifestException} naming the source, the line and column, the
 * offending text and what was expected.
 */
public final class Manifests {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private Manifests() {}

  /**
   * Reads a SageMaker ManifestFile: a JSON array whose first element is {@code {"prefix": "s3://bucket/path/"}}
   * and whose other elements are keys relative to it.
   *
   * @param file the manifest file
   * @param labels the label encoding to use, or {@code null} to make one from the class folders found
   * @throws ManifestException if the file is malformed, a key has no class folder, a class is not in
   *     {@code labels}, or a key appears twice
   */
  public static Manifest readManifestFile(Path file, LabelMap labels) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readManifestFile(in, file.toString(), labels);
    }
  }

  /**
   * Reads a SageMaker ManifestFile from an object store, e.g. {@code s3://bucket/manifests/train.manifest}.
   *
   * @see #readManifestFile(Path, LabelMap)
   */
  public static Manifest readManifestFile(String uri, ObjectStore store, LabelMap labels) {
    StoredObject object;
    try {
      object = store.get(ObjectRef.of(uri)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SluiceException s) {
        throw s;
      }
      throw new SluiceException("cannot read manifest " + uri + ": " + e.getCause(), uri, false, e.getCause());
    }
    try {
      return readManifestFile(new ByteArrayInputStream(object.bytes()), uri, labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a SageMaker ManifestFile from a stream.
   *
   * @param source the name to use in error messages
   * @see #readManifestFile(Path, LabelMap)
   */
  public static Manifest readManifestFile(InputStream in, String source, LabelMap labels) throws IOException {
    try (JsonParser p = JSON.createParser(in)) {
      expect(p, p.nextToken(), JsonToken.START_ARRAY, source, "a JSON array '[{\"prefix\": ...}, \"key\", ...]'");
      expect(p, p.nextToken(), JsonToken.START_OBJECT, source, "the prefix object {\"prefix\": \"s3://bucket/path/\"}");
      String prefix = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        expect(p, t, JsonToken.FIELD_NAME, source, "a field name");
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("prefix")) {
          expect(p, value, JsonToken.VALUE_STRING, source, "the prefix as a string");
          prefix = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (prefix == null) {
        throw error(p, source, "the first element has no \"prefix\" field");
      }
      if (!prefix.endsWith("/")) {
        throw error(p, source, "prefix '" + prefix + "' must end with '/': keys are appended to it as they are");
      }
      Manifest.Builder builder = labels == null ? Manifest.builder(prefix) : Manifest.builder(prefix, labels);
      int[] lines = new int[1024];
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == null) {
          throw error(p, source, "the file ends before the closing ']'");
        }
        expect(p, t, JsonToken.VALUE_STRING, source, "a key as a JSON string");
        String key = p.getText();
        long line = p.currentTokenLocation().getLineNr();
        String className = classFolder(key);
        if (className == null) {
          throw error(p, source, "key '" + key + "' has no class folder: expected '<class>/<name>'");
        }
        try {
          builder.add(key, className, -1, null, null);
        } catch (IllegalArgumentException e) {
          throw error(p, source, e.getMessage());
        }
        if (builder.size() > lines.length) {
          lines = Arrays.copyOf(lines, lines.length * 2);
        }
        lines[builder.size() - 1] = (int) Math.min(line, Integer.MAX_VALUE);
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw error(p, source, "unexpected " + trailing + " after the closing ']'");
      }
      Manifest manifest = builder.build();
      checkNoDuplicates(manifest, source, lines);
      return manifest;
    } catch (JsonParseException e) {
      JsonLocation at = e.getLocation();
      throw new ManifestException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
          "malformed JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The first path segment of {@code key}, or {@code null} if it has none. */
  static String classFolder(String key) {
    int slash = key.indexOf('/');
    return slash <= 0 ? null : key.substring(0, slash);
  }

  /**
   * Throws if two entries have the same key, naming the key and both lines.
   *
   * @param lines the line of each entry, or {@code null} to name entry numbers instead
   */
  static void checkNoDuplicates(Manifest m, String source, int[] lines) {
    int n = m.size();
    long[] hashed = new long[n];
    for (int i = 0; i < n; i++) {
      // High 32 bits: the key's hash, so equal keys sort next to each other; low 32 bits: the entry index.
      hashed[i] = ((long) m.key(i).hashCode() << 32) | (i & 0xFFFFFFFFL);
    }
    Arrays.sort(hashed);
    for (int i = 1; i < n; i++) {
      if ((hashed[i] >>> 32) != (hashed[i - 1] >>> 32)) {
        continue;
      }
      // Same hash: compare against every earlier entry with this hash.
      int b = (int) hashed[i];
      for (int j = i - 1; j >= 0 && (hashed[j] >>> 32) == (hashed[i] >>> 32); j--) {
        int a = (int) hashed[j];
        if (m.key(a).equals(m.key(b))) {
          int first = Math.min(a, b);
          int second = Math.max(a, b);
          String where = lines == null ? "entries " + first + " and " + second
              : "lines " + lines[first] + " and " + lines[second];
          throw new ManifestException(source, lines == null ? 0 : lines[second], 0,
              "duplicate key '" + m.key(first) + "' (" + where + ")");
        }
      }
    }
  }

  /** Writes {@code manifest} as a SageMaker ManifestFile, one key per line, UTF-8. */
  public static void writeManifestFile(Manifest manifest, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    w.write("[\n{\"prefix\":" + quote(manifest.prefix()) + "}");
    for (int i = 0; i < manifest.size(); i++) {
      w.write(",\n");
      w.write(quote(manifest.key(i)));
    }
    w.write("\n]\n");
    w.flush();
  }

  /** Writes {@code manifest} as a SageMaker ManifestFile at {@code file}. */
  public static void writeManifestFile(Manifest manifest, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      writeManifestFile(manifest, out);
    }
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s, sb);
    return sb.append('"').toString();
  }

  private static void expect(JsonParser p, JsonToken found, JsonToken wanted, String source, String expected) {
    if (found != wanted) {
      String text = found == null ? "end of file" : found + " '" + text(p) + "'";
      throw error(p, source, "found " + text + ", expected " + expected);
    }
  }

  private static String text(JsonParser p) {
    try {
      String t = p.getText();
      return t == null ? "" : t.length() > 80 ? t.substring(0, 80) + "..." : t;
    } catch (IOException e) {
      return "?";
    }
  }

  private static ManifestException error(JsonParser p, String source, String problem) {
    JsonLocation at = p.currentTokenLocation();
    return new ManifestException(source, at.getLineNr(), at.getColumnNr(), problem);
  }
}
