package io.sluice.loader.manifest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.Locale;

/** Parses the two text formats, CSV with a header and plain key lists, streaming, into a {@link ChannelCollector}. */
final class TextFormats {
  /** The CSV columns, in the order the writer puts them. */
  static final List<String> CSV_COLUMNS = List.of("key", "uri", "label", "channel", "size", "etag", "version_id");

  private TextFormats() {}

  /** A UTF-8 reader that fails on malformed input rather than guessing, and skips a byte order mark. */
  static BufferedReader utf8(InputStream in) {
    return new BufferedReader(new Utf8Reader(in), 1 << 16);
  }

  /** Reads CSV with a header into {@code out}. */
  static void readCsv(Reader in, ChannelCollector out) throws IOException {
    String source = out.source();
    CsvRecords records = new CsvRecords(in, source);
    if (!next(records, source)) {
      throw new ManifestException(source, 1, 0, "the file is empty: expected a header such as 'uri,label,channel'");
    }
    int key = -1;
    int uri = -1;
    int label = -1;
    int channel = -1;
    int size = -1;
    int etag = -1;
    int version = -1;
    int columns = records.size();
    for (int k = 0; k < columns; k++) {
      String name = records.field(k).trim().toLowerCase(Locale.ROOT);
      int index = CSV_COLUMNS.indexOf(name);
      if (index < 0) {
        throw new ManifestException(source, records.line(k), records.column(k), "unknown column '"
            + records.field(k) + "': expected one of " + CSV_COLUMNS);
      }
      int[] slot = {key, uri, label, channel, size, etag, version};
      if (slot[index] >= 0) {
        throw new ManifestException(source, records.line(k), records.column(k), "column '" + name
            + "' appears twice in the header");
      }
      switch (index) {
        case 0 -> key = k;
        case 1 -> uri = k;
        case 2 -> label = k;
        case 3 -> channel = k;
        case 4 -> size = k;
        case 5 -> etag = k;
        default -> version = k;
      }
    }
    if ((key < 0) == (uri < 0)) {
      throw new ManifestException(source, records.recordLine(), 1, "header '" + String.join(",", header(records))
          + "': expected exactly one of the columns 'key' and 'uri'");
    }
    int location = key >= 0 ? key : uri;
    while (next(records, source)) {
      long line = records.recordLine();
      if (records.size() != columns) {
        throw new ManifestException(source, line, 1, "found " + records.size() + " fields, expected " + columns
            + " as in the header " + (records.size() == 1 ? "(is the separator a comma?)" : ""));
      }
      String where = records.field(location);
      if (where.isEmpty()) {
        throw new ManifestException(source, records.line(location), records.column(location),
            "empty " + (key >= 0 ? "key" : "uri") + ": expected the object's " + (key >= 0 ? "key" : "URI"));
      }
      int l = Manifest.NO_LABEL;
      if (label >= 0 && !records.field(label).isEmpty()) {
        l = csvLabel(records.field(label), where, out, records.line(label), records.column(label));
      }
      String ch = null;
      if (channel >= 0) {
        ch = records.field(channel);
        out.checkChannel(ch, records.line(channel), records.column(channel));
      }
      long bytes = -1;
      if (size >= 0 && !records.field(size).isEmpty()) {
        bytes = parseSize(records.field(size), source, records.line(size), records.column(size));
      }
      String e = etag >= 0 && !records.field(etag).isEmpty() ? JsonFormats.unquoteEtag(records.field(etag)) : null;
      String v = version >= 0 && !records.field(version).isEmpty() ? records.field(version) : null;
      out.addLocation(ch, where, l, bytes, e, v, records.line(location), records.column(location));
    }
  }

  private static boolean next(CsvRecords records, String source) throws IOException {
    try {
      return records.next();
    } catch (CharacterCodingException e) {
      throw new ManifestException(source, records.currentLine(), records.currentColumn(), "malformed UTF-8: expected UTF-8 text", e);
    }
  }

  private static List<String> header(CsvRecords records) {
    String[] names = new String[records.size()];
    for (int k = 0; k < names.length; k++) {
      names[k] = records.field(k);
    }
    return List.of(names);
  }

  /**
   * A CSV label: a class name; with a label map, a value that is not one of its names but an integer is a
   * class index into it.
   */
  private static int csvLabel(String value, String key, ChannelCollector out, long line, long column) {
    if (out.hasLabelMap() && !out.isKnownClass(value) && isInteger(value)) {
      long index;
      try {
        index = Long.parseLong(value);
      } catch (NumberFormatException e) {
        index = Long.MAX_VALUE;
      }
      return out.labelOfIndex(index, key, line, column);
    }
    return out.labelOfClass(value, key, line, column);
  }

  private static boolean isInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static long parseSize(String value, String source, long line, long column) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ManifestException(source, line, column, "size '" + value + "': expected the size in bytes, 0 or more");
  }

  /** Reads a plain list of keys or URIs, one per line, into {@code out}; empty lines are skipped. */
  static void readKeys(BufferedReader in, ChannelCollector out) throws IOException {
    long line = 0;
    while (true) {
      String s;
      try {
        s = in.readLine();
      } catch (CharacterCodingException e) {
        throw new ManifestException(out.source(), line + 1, 0, "malformed UTF-8: expected UTF-8 text", e);
      }
      if (s == null) {
        return;
      }
      line++;
      if (!s.isEmpty()) {
        out.addLocation(null, s, Manifest.NO_LABEL, -1, null, null, line, 1);
      }
    }
  }
}
