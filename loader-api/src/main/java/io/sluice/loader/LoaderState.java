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
 * @param sampling the sampler, sharding and remainder policy, which the resumed loader must match
 */
public record LoaderState(String manifestDigest, long seed, int epoch, long position, int worldSize, String sampling) {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** Validates the fields. */
  public LoaderState {
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(sampling, "sampling");
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
      g.writeStringField("sampling", sampling);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
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
        fields.put(name, v == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText());
      }
    } catch (IOException e) {
      throw new SluiceException("loader state is not valid JSON: " + abbreviate(json) + " (" + e.getMessage() + ")", e);
    }
    try {
      return new LoaderState(string(fields, "manifest"), number(fields, "seed"), Math.toIntExact(number(fields, "epoch")),
          number(fields, "position"), Math.toIntExact(number(fields, "world")), string(fields, "sampling"));
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
