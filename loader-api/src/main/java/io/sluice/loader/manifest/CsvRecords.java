package io.sluice.loader.manifest;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records, streaming: RFC 4180 fields, optionally double-quoted with {@code ""} for a
 * quote, separated by commas, records ended by LF, CRLF or CR. Quoted fields may span lines. Blank lines are
 * skipped. Each field remembers the line and column it starts at, for error messages.
 */
final class CsvRecords {
  private final Reader in;
  private final String source;
  private final char[] buffer = new char[1 << 16];
  private int position;
  private int limit;
  private boolean eof;

  private long line = 1;
  private long column = 1;

  private final List<String> fields = new ArrayList<>();
  private long[] fieldLines = new long[16];
  private long[] fieldColumns = new long[16];
  private final StringBuilder field = new StringBuilder();
  private long recordLine;

  CsvRecords(Reader in, String source) {
    this.in = in;
    this.source = source;
  }

  /** Reads the next non-blank record; {@code false} at the end of the input. */
  boolean next() throws IOException {
    while (true) {
      fields.clear();
      if (peek() < 0) {
        return false;
      }
      recordLine = line;
      readRecord();
      if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
        return true;
      }
    }
  }

  private void readRecord() throws IOException {
    while (true) {
      long startLine = line;
      long startColumn = column;
      field.setLength(0);
      int c = peek();
      if (c == '"') {
        take();
        readQuoted(startLine, startColumn);
      } else {
        readUnquoted();
      }
      addField(startLine, startColumn);
      c = peek();
      if (c == ',') {
        take();
        continue;
      }
      if (c == '\r') {
        take();
        if (peek() == '\n') {
          take();
        }
        newLine();
      } else if (c == '\n') {
        take();
        newLine();
      } else if (c >= 0) {
        throw new ManifestException(source, line, column, "found '" + (char) c
            + "' after a closing quote: expected ',' or the end of the line");
      }
      return;
    }
  }

  /** Appends characters up to a comma or line break, a buffer's worth at a time. */
  private void readUnquoted() throws IOException {
    while (peek() >= 0) {
      int end = position;
      while (end < limit) {
        char ch = buffer[end];
        if (ch == ',' || ch == '\n' || ch == '\r') {
          break;
        }
        end++;
      }
      field.append(buffer, position, end - position);
      column += end - position;
      position = end;
      if (end < limit) {
        return;
      }
    }
  }

  private void readQuoted(long startLine, long startColumn) throws IOException {
    while (true) {
      int c = take();
      if (c < 0) {
        throw new ManifestException(source, startLine, startColumn,
            "the quoted field starting here is never closed: expected a closing '\"'");
      }
      if (c == '"') {
        if (peek() == '"') {
          take();
          field.append('"');
          continue;
        }
        return;
      }
      field.append((char) c);
      if (c == '\n' || (c == '\r' && peek() != '\n')) {
        newLine();
      }
    }
  }

  private void addField(long startLine, long startColumn) {
    int k = fields.size();
    if (k == fieldLines.length) {
      fieldLines = java.util.Arrays.copyOf(fieldLines, k * 2);
      fieldColumns = java.util.Arrays.copyOf(fieldColumns, k * 2);
    }
    fieldLines[k] = startLine;
    fieldColumns[k] = startColumn;
    fields.add(field.toString());
  }

  private void newLine() {
    line++;
    column = 1;
  }

  private int peek() throws IOException {
    if (position == limit) {
      if (eof) {
        return -1;
      }
      limit = in.read(buffer, 0, buffer.length);
      position = 0;
      if (limit <= 0) {
        limit = 0;
        eof = true;
        return -1;
      }
    }
    return buffer[position];
  }

  private int take() throws IOException {
    int c = peek();
    if (c >= 0) {
      position++;
      column++;
    }
    return c;
  }

  /** The number of fields in the current record. */
  int size() {
    return fields.size();
  }

  /** Field {@code k} of the current record, unquoted. */
  String field(int k) {
    return fields.get(k);
  }

  /** The line field {@code k} starts on. */
  long line(int k) {
    return fieldLines[k];
  }

  /** The column field {@code k} starts at (1-based, in characters). */
  long column(int k) {
    return fieldColumns[k];
  }

  /** The line the reader has reached. */
  long currentLine() {
    return line;
  }

  /** The column the reader has reached. */
  long currentColumn() {
    return column;
  }

  /** The line the current record starts on. */
  long recordLine() {
    return recordLine;
  }
}
