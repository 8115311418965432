package io.sluice.loader.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses the two JSON formats: SageMaker's ManifestFile (one JSON array) and AugmentedManifestFile (one
 * JSON object per line), streaming, into a {@link ChannelCollector}.
 */
final class JsonFormats {
  /** Leaves the caller's stream open: readers document that they do not close it. */
  static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  private JsonFormats() {}

  /**
   * Reads a ManifestFile's entries into {@code out} as keys relative to its prefix (labels come from class
   * folders later).
   *
   * @return the prefix the file names
   */
  static String readManifestFile(InputStream in, ChannelCollector out) throws IOException {
    String source = out.source();
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
      out.setPrefix(prefix);
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == null) {
          throw error(p, source, "the file ends before the closing ']'");
        }
        expect(p, t, JsonToken.VALUE_STRING, source, "a key as a JSON string");
        JsonLocation at = p.currentTokenLocation();
        out.addKey(null, p.getText(), Manifest.NO_LABEL, -1, null, null, at.getLineNr(), at.getColumnNr());
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw error(p, source, "unexpected " + trailing + " after the closing ']'");
      }
      return prefix;
    } catch (JsonParseException e) {
      throw malformed(e, source);
    }
  }

  /** The names of the attributes an augmented manifest's lines are read through. */
  record Attributes(String source, String label, String channel) {}

  /** Reads an AugmentedManifestFile (JSON Lines) into {@code out}. */
  static void readAugmented(InputStream in, ChannelCollector out, Attributes names) throws IOException {
    String source = out.source();
    boolean unlabelled = names.label() == null;
    String metadata = unlabelled ? null : names.label() + "-metadata";
    try (JsonParser p = JSON.createParser(in)) {
      long previousEnd = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        JsonLocation start = p.currentTokenLocation();
        long line = start.getLineNr();
        if (t != JsonToken.START_OBJECT) {
          throw error(p, source, "found " + describe(p, t) + ", expected one JSON object per line like {\""
              + names.source() + "\": \"s3://bucket/key\", \"" + names.label() + "\": ...}");
        }
        if (line == previousEnd) {
          throw error(p, source, "a second JSON object on one line: expected one object per line (JSON Lines)");
        }
        String location = null;
        long locationColumn = start.getColumnNr();
        String className = null;
        String metadataClassName = null;
        long labelIndex = Long.MIN_VALUE;
        boolean labelSeen = false;
        boolean labelNull = false;
        long labelColumn = 0;
        String channel = null;
        long channelColumn = 0;
        long size = -1;
        String etag = null;
        String versionId = null;
        for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          long column = p.currentTokenLocation().getColumnNr();
          if (field.equals(names.source())) {
            location = string(p, v, source, "'" + field + "' as a string URI");
            locationColumn = column;
          } else if (!unlabelled && field.equals(names.label())) {
            labelSeen = true;
            labelColumn = column;
            if (v == JsonToken.VALUE_STRING) {
              className = p.getText();
            } else if (v == JsonToken.VALUE_NUMBER_INT) {
              labelIndex = p.getLongValue();
            } else if (v == JsonToken.VALUE_NULL) {
              labelNull = true;
            } else {
              throw error(p, source, "found " + describe(p, v) + " for '" + field
                  + "', expected a class name, a class index or null");
            }
          } else if (!unlabelled && field.equals(metadata) && v == JsonToken.START_OBJECT) {
            metadataClassName = classNameIn(p, source);
          } else if (names.channel() != null && field.equals(names.channel())) {
            channel = string(p, v, source, "'" + field + "' as a string such as \"train\"");
            channelColumn = column;
          } else if (field.equals("size")) {
            if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
              throw error(p, source, "found " + describe(p, v) + " for 'size', expected the size in bytes, 0 or more");
            }
            size = p.getLongValue();
          } else if (field.equals("etag")) {
            etag = unquoteEtag(string(p, v, source, "'etag' as a string"));
          } else if (field.equals("version-id")) {
            versionId = string(p, v, source, "'version-id' as a string");
          } else {
            p.skipChildren();
          }
        }
        previousEnd = p.currentLocation().getLineNr();
        if (location == null) {
          throw new ManifestException(source, line, start.getColumnNr(), "no '" + names.source()
              + "' attribute: expected {\"" + names.source() + "\": \"s3://bucket/key\", ...}");
        }
        int label;
        if (unlabelled) {
          label = Manifest.NO_LABEL;
        } else if (!labelSeen) {
          throw new ManifestException(source, line, start.getColumnNr(), "no '" + names.label() + "' attribute for '"
              + location + "': expected a class name, a class index, or null for no label");
        } else if (labelNull) {
          label = Manifest.NO_LABEL;
        } else if (className != null) {
          label = out.labelOfClass(className, location, line, labelColumn);
        } else if (metadataClassName != null) {
          // Ground Truth: the index is the labelling job's own; the class name says what it means.
          label = out.labelOfClass(metadataClassName, location, line, labelColumn);
        } else {
          label = out.labelOfIndex(labelIndex, location, line, labelColumn);
        }
        if (channel != null) {
          out.checkChannel(channel, line, channelColumn);
        }
        out.addLocation(channel, location, label, size, etag, versionId, line, locationColumn);
      }
    } catch (JsonParseException e) {
      throw malformed(e, source);
    }
  }

  /** Reads {@code <label>-metadata}'s {@code class-name}, the parser on its START_OBJECT; skips the rest. */
  private static String classNameIn(JsonParser p, String source) throws IOException {
    String name = null;
    for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("class-name")) {
        name = string(p, v, source, "'class-name' as a string");
      } else {
        p.skipChildren();
      }
    }
    return name;
  }

  private static String string(JsonParser p, JsonToken v, String source, String expected) throws IOException {
    if (v != JsonToken.VALUE_STRING) {
      throw error(p, source, "found " + describe(p, v) + ", expected " + expected);
    }
    return p.getText();
  }

  /** Removes the double quotes HTTP puts around an ETag, if present. */
  static String unquoteEtag(String etag) {
    if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
      return etag.substring(1, etag.length() - 1);
    }
    return etag;
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    return sb.append('"').toString();
  }

  private static void expect(JsonParser p, JsonToken found, JsonToken wanted, String source, String expected) {
    if (found != wanted) {
      throw error(p, source, "found " + describe(p, found) + ", expected " + expected);
    }
  }

  private static String describe(JsonParser p, JsonToken found) {
    return found == null ? "end of file" : found + " '" + text(p) + "'";
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

  private static ManifestException malformed(JsonParseException e, String source) {
    JsonLocation at = e.getLocation();
    return new ManifestException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
        "malformed JSON: " + e.getOriginalMessage(), e);
  }
}
