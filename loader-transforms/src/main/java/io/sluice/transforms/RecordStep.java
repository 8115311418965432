package io.sluice.transforms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datavec.api.transform.ColumnType;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.writable.Writable;

/** The steps behind {@link Records#csv} and {@link Records#jsonLines}. */
final class RecordStep implements Transform<StoredObject, Features> {
  enum Syntax { CSV, JSON_LINES }

  private static final JsonFactory JSON = new JsonFactory();

  private final TransformProcess process;
  private final Syntax syntax;
  private final char delimiter;
  private final int rows;
  private final Schema input;
  private final int columns;
  private final String description;

  RecordStep(TransformProcess process, Syntax syntax, char delimiter, int rows) {
    this.process = Objects.requireNonNull(process, "process");
    this.syntax = syntax;
    if (rows <= 0) {
      throw new IllegalArgumentException("rows per object must be positive: " + rows);
    }
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      throw new IllegalArgumentException("the CSV delimiter cannot be a quote or a line break: "
          + (int) delimiter);
    }
    this.delimiter = delimiter;
    this.rows = rows;
    this.input = process.getInitialSchema();
    Schema output = process.getFinalSchema();
    for (int c = 0; c < output.numColumns(); c++) {
      ColumnType type = output.getType(c);
      if (type != ColumnType.Integer && type != ColumnType.Long && type != ColumnType.Float
          && type != ColumnType.Double && type != ColumnType.Boolean) {
        throw new IllegalArgumentException("column '" + output.getName(c) + "' of the final schema is " + type
            + "; features must be numeric (convert categorical columns with categoricalToInteger or"
            + " categoricalToOneHot, and remove text columns)");
      }
    }
    this.columns = output.numColumns();
    if (columns == 0) {
      throw new IllegalArgumentException("the transform process leaves no columns");
    }
    this.description = (syntax == Syntax.CSV ? "csv(" : "jsonLines(") + input.getColumnNames() + " -> "
        + output.getColumnNames() + (syntax == Syntax.CSV && delimiter != ',' ? ", delimiter '" + delimiter + "'" : "")
        + ", " + rows + (rows == 1 ? " record" : " records") + " per object, process " + fingerprint(process) + ")";
  }

  /** The first 16 hex digits of the SHA-256 of the process's JSON form (its whole definition). */
  private static String fingerprint(TransformProcess process) {
    String definition;
    try {
      definition = process.toJson();
    } catch (RuntimeException e) {
      definition = process.toString();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(definition.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  @Override
  public Features apply(StoredObject object, SampleContext context) {
    String key = object.uri();
    String text = Records.decodeUtf8(object);
    List<String> lines = new ArrayList<>(rows);
    List<Integer> numbers = new ArrayList<>(rows);
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (!trimmed.isBlank()) {
        lines.add(trimmed);
        numbers.add(number);
      }
    }
    if (lines.size() != rows) {
      throw new SluiceException(key + " holds " + lines.size() + " records but " + this + " expects " + rows,
          key, false, null);
    }
    float[] values = new float[rows * columns];
    for (int r = 0; r < rows; r++) {
      String where = key + " line " + numbers.get(r);
      List<String> raw = syntax == Syntax.CSV ? csvFields(lines.get(r), where, key) : jsonFields(lines.get(r), where, key);
      if (raw.size() != input.numColumns()) {
        throw new SluiceException(where + " has " + raw.size() + " fields but the schema has "
            + input.numColumns() + " columns " + input.getColumnNames(), key, false, null);
      }
      List<Writable> out;
      try {
        out = process.execute(process.transformRawStringsToInputList(raw));
      } catch (RuntimeException e) {
        throw new SluiceException("cannot transform " + where + ": " + e, key, false, e);
      }
      if (out == null) {
        throw new SluiceException(where + " was filtered out by the transform process; a sample cannot be skipped",
            key, false, null);
      }
      if (out.size() != columns) {
        throw new SluiceException("the transform process gave " + out.size() + " values for " + where
            + " but its final schema has " + columns + " columns", key, false, null);
      }
      for (int c = 0; c < columns; c++) {
        try {
          values[r * columns + c] = out.get(c).toFloat();
        } catch (RuntimeException e) {
          throw new SluiceException("column " + c + " of " + where + " is not a number: " + out.get(c), key, false, e);
        }
      }
    }
    return rows == 1 ? Features.of(values, columns) : Features.of(values, rows, columns);
  }

  /** The fields of one CSV line: separated by the delimiter; a field may be quoted, {@code ""} a quote. */
  private List<String> csvFields(String line, String where, String key) {
    List<String> fields = new ArrayList<>(input.numColumns());
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new SluiceException(where + " has an unclosed quote", key, false, null);
          }
          char ch = line.charAt(i++);
          if (ch == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(ch);
          }
        }
        if (i < n && line.charAt(i) != delimiter) {
          throw new SluiceException(where + " has text after a closing quote at column " + (i + 1), key, false, null);
        }
      } else {
        while (i < n && line.charAt(i) != delimiter) {
          field.append(line.charAt(i++));
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the delimiter
    }
  }

  /** The values of one JSON object's fields named as the input columns, as text, in column order. */
  private List<String> jsonFields(String line, String where, String key) {
    String[] values = new String[input.numColumns()];
    Map<String, Integer> index = input.getColumnNamesIndex();
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new SluiceException(where + " is not a JSON object", key, false, null);
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        Integer column = index.get(name);
        if (column == null) {
          parser.skipChildren();
          continue;
        }
        values[column] = switch (value) {
          case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
          default -> throw new SluiceException("field '" + name + "' of " + where + " is " + value
              + "; only strings, numbers and booleans map to columns", key, false, null);
        };
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new SluiceException(where + " is not one flat JSON object", key, false, null);
      }
    } catch (JsonProcessingException e) {
      throw new SluiceException(where + " is not valid JSON: " + e.getOriginalMessage(), key, false, e);
    } catch (IOException e) {
      throw new SluiceException("cannot read " + where + ": " + e, key, false, e);
    }
    for (int c = 0; c < values.length; c++) {
      if (values[c] == null) {
        throw new SluiceException(where + " has no field '" + input.getName(c) + "'", key, false, null);
      }
    }
    return Arrays.asList(values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordStep r && description.equals(r.description);
  }

  @Override
  public int hashCode() {
    return description.hashCode();
  }

  @Override
  public String toString() {
    return description;
  }
}
