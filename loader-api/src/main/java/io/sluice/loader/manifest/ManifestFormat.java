package io.sluice.loader.manifest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The file formats a manifest can be read from and written to.
 *
 * <p>Labels: {@link #MANIFEST_FILE} and {@link #KEYS} carry none, so entries are labelled by their class
 * folder, the first path segment of the key under the prefix ({@code cat/001.jpg} is class {@code cat}).
 * {@link #AUGMENTED} and {@link #CSV} carry a label per entry, and may also carry a channel and each
 * object's size, ETag and version id.
 */
public enum ManifestFormat {
  /**
   * A SageMaker ManifestFile: a JSON array whose first element is {@code {"prefix": "s3://bucket/path/"}}
   * and whose other elements are keys relative to it. One channel per file.
   */
  MANIFEST_FILE("manifest", ".manifest"),

  /**
   * A SageMaker AugmentedManifestFile: JSON Lines, one object per line, such as
   * {@code {"source-ref": "s3://bucket/cat/1.jpg", "class": 0, "class-metadata": {"class-name": "cat"}}}.
   * The attribute names are configurable; optional attributes {@code channel}, {@code size}, {@code etag}
   * and {@code version-id}.
   */
  AUGMENTED("augmented", ".jsonl"),

  /**
   * Comma-separated values (RFC 4180 quoting) with a header naming the columns: {@code key} or {@code uri},
   * then any of {@code label} (a class name), {@code channel}, {@code size}, {@code etag},
   * {@code version_id}.
   */
  CSV("csv", ".csv"),

  /** A plain list of keys or URIs, one per line, UTF-8. One channel per file. */
  KEYS("keys", ".txt");

  /** How many bytes from the start of a file {@link #detect} looks at. */
  public static final int DETECTION_BYTES = 1 << 14;

  private final String id;
  private final String extension;

  ManifestFormat(String id, String extension) {
    this.id = id;
    this.extension = extension;
  }

  /** The short name used on the command line: {@code manifest}, {@code augmented}, {@code csv} or {@code keys}. */
  public String id() {
    return id;
  }

  /** The file name extension the channel builder writes, with its dot, e.g. {@code .manifest}. */
  public String extension() {
    return extension;
  }

  /** Whether a file of this format can hold entries of several channels. */
  public boolean holdsChannels() {
    return this == AUGMENTED || this == CSV;
  }

  /** Whether the format records a label per entry (the others label entries by their class folder). */
  public boolean recordsLabels() {
    return this == AUGMENTED || this == CSV;
  }

  /**
   * The format with short name {@code id} ({@link #id()}), ignoring case.
   *
   * @throws IllegalArgumentException naming {@code id} and the names allowed if there is no such format
   */
  public static ManifestFormat ofId(String id) {
    for (ManifestFormat f : values()) {
      if (f.id.equalsIgnoreCase(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown manifest format '" + id + "': expected manifest, augmented, csv or keys");
  }

  @Override
  public String toString() {
    return id;
  }

  /**
   * The format of a file that starts with {@code head}: after an optional byte order mark and white space,
   * {@code [} is a ManifestFile and <code>{</code> an augmented manifest; a {@code name} ending in
   * {@code .csv}, or a first line that is a header of known CSV column names including {@code key} or
   * {@code uri}, is CSV; anything else is a key list.
   *
   * @param head the first bytes of the file, up to {@link #DETECTION_BYTES}
   * @param name the file name or URI
   */
  public static ManifestFormat detect(byte[] head, String name) {
    int i = 0;
    if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
      i = 3;
    }
    while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')) {
      i++;
    }
    if (i < head.length && head[i] == '[') {
      return MANIFEST_FILE;
    }
    if (i < head.length && head[i] == '{') {
      return AUGMENTED;
    }
    if (name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return CSV;
    }
    int end = i;
    while (end < head.length && head[end] != '\n' && head[end] != '\r') {
      end++;
    }
    String firstLine = new String(head, i, end - i, StandardCharsets.UTF_8);
    boolean locates = false;
    for (String field : firstLine.split(",", -1)) {
      String column = field.trim().replace("\"", "").toLowerCase(Locale.ROOT);
      if (!TextFormats.CSV_COLUMNS.contains(column)) {
        return KEYS;
      }
      locates |= column.equals("key") || column.equals("uri");
    }
    return locates ? CSV : KEYS;
  }

  /** A human name, e.g. {@code SageMaker ManifestFile}. */
  public String describe() {
    return switch (this) {
      case MANIFEST_FILE -> "SageMaker ManifestFile";
      case AUGMENTED -> "SageMaker AugmentedManifestFile (JSON Lines)";
      case CSV -> "CSV";
      case KEYS -> "plain key list";
    };
  }
}
