package io.sluice.loader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a loader is: enough to resume exactly, in a few numbers (a JSON object well under 1 KB).
 *
 * <p>Take it between two batches with {@link BatchIterator#state()}; build a loader with
 * {@link DataLoader.Builder#resumeFrom} to read exactly the samples not yet read, with the same augmentations.
 * In data-parallel training every rank is at the same batch, so every rank's state is the same, and a job may
 * resume with another world size: the remaining samples are dealt out among the new ranks, none lost or
 * repeated.
 *
 * @param manifestDigest the SHA-256 of the manifest read; resuming against another manifest is refused
 * @param seed the seed of every shuffle and random transform
 * @param epoch the epoch to resume in
 * @param position how many samples of the epoch's global order all ranks together have read
 * @param worldSize the world size the state was taken in (information only)
 * @param sampler the sampler's identity, which the resumed loader's must equal
 * @param sharding the sharding's identity, which the resumed loader's must equal
 * @param remainder the remainder policy, which the resumed loader's must equal
 */
public record LoaderState(String manifestDigest, long seed, int epoch, long position, int worldSize,
    StrategyId sampler, StrategyId sharding, Remainder remainder) {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** Validates the fields. */
  public LoaderState {
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(sampler, "sampler");
    Objects.requireNonNull(sharding, "sharding");
    Objects.requireNonNull(remainder, "remainder");
    if (epoch < 0 || position < 0 || worldSize < 1) {
      throw new IllegalArgumentException("state needs epoch >= 0, position >= 0 and world size >= 1, was epoch "
          + epoch + ", position " + position + ", world size " + worldSize);
    }
  }

  /** The state as one line of JSON. */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("manifest", manifestDigest);
      g.writeNumberField("seed", seed);
      g.writeNumberField("epoch", epoch);
      g.writeNumberField("position", position);
      g.writeNumberField("world", worldSize);
      writeStrategy(g, "sampler", sampler);
      writeStrategy(g, "sharding", sharding);
      g.writeStringField("remainder", remainder.name());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeStrategy(JsonGenerator g, String name, StrategyId id) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeStringField("kind", id.kind());
    g.writeObjectFieldStart("parameters");
    for (Map.Entry<String, String> e : id.parameters().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Reads {@code {"kind": ..., "parameters": {...}}}; the parser is at its START_OBJECT. */
  private static StrategyId readStrategy(JsonParser p, String name) throws IOException {
    String kind = null;
    Map<String, String> parameters = new java.util.LinkedHashMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("kind") && v == JsonToken.VALUE_STRING) {
        kind = p.getText();
      } else if (field.equals("parameters") && v == JsonToken.START_OBJECT) {
        for (JsonToken u = p.nextToken(); u == JsonToken.FIELD_NAME; u = p.nextToken()) {
          String key = p.currentName();
          p.nextToken();
          parameters.put(key, p.getText());
        }
      } else {
        throw new SluiceException("loader state field \"" + name + "\" has an unexpected member \"" + field + "\"");
      }
    }
    if (kind == null) {
      throw new SluiceException("loader state field \"" + name + "\" has no \"kind\"");
    }
    return new StrategyId(kind, parameters);
  }

  /**
   * Reads a state written by {@link #toJson()}.
   *
   * @throws SluiceException naming the field if the text is not such a state
   */
  public static LoaderState fromJson(String json) {
    Map<String, Object> fields = new HashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new SluiceException("loader state must be a JSON object, was: " + abbreviate(json));
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        fields.put(name, v == JsonToken.START_OBJECT ? readStrategy(p, name)
            : v == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText());
      }
    } catch (IOException e) {
      throw new SluiceException("loader state is not valid JSON: " + abbreviate(json) + " (" + e.getMessage() + ")", e);
    }
    try {
      return new LoaderState(string(fields, "manifest"), number(fields, "seed"), Math.toIntExact(number(fields, "epoch")),
          number(fields, "position"), Math.toIntExact(number(fields, "world")), strategy(fields, "sampler"),
          strategy(fields, "sharding"), Remainder.valueOf(string(fields, "remainder")));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new SluiceException("loader state " + abbreviate(json) + " is invalid: " + e.getMessage(), e);
    }
  }

  private static String string(Map<String, Object> fields, String name) {
    Object v = fields.get(name);
    if (!(v instanceof String s)) {
      throw new SluiceException("loader state has no string field \"" + name + "\"");
    }
    return s;
  }

  private static StrategyId strategy(Map<String, Object> fields, String name) {
    Object v = fields.get(name);
    if (!(v instanceof StrategyId id)) {
      throw new SluiceException("loader state has no object field \"" + name + "\" (kind and parameters)");
    }
    return id;
  }

  private static long number(Map<String, Object> fields, String name) {
    Object v = fields.get(name);
    if (!(v instanceof Long l)) {
      throw new SluiceException("loader state has no whole-number field \"" + name + "\"");
    }
    return l;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
