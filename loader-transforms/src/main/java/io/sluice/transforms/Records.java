package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import org.datavec.api.transform.TransformProcess;

/**
 * Steps for objects that are not images: CSV and JSON Lines records through a DataVec
 * {@link TransformProcess} into feature vectors (tabular channels), and raw bytes or text handed to a
 * decoder of your own.
 *
 * <pre>{@code
 * Schema schema = new Schema.Builder()
 *     .addColumnsDouble("sepalLength", "sepalWidth", "petalLength", "petalWidth")
 *     .build();
 * TransformProcess process = new TransformProcess.Builder(schema)
 *     .doubleMathOp("sepalLength", MathOp.Multiply, 0.1)
 *     .build();
 * Transform<StoredObject, Features> rows = Records.csv(process);   // one record per object, [4] features
 * }</pre>
 *
 * <p>Each object holds a fixed number of records, one per line (empty lines are skipped). Each record is
 * parsed into the process's initial schema ({@link TransformProcess#transformRawStringsToInputList}), run
 * through the process, and its final columns, which must all be numeric (integer, long, float, double or
 * boolean), become the sample's floats: shape {@code [columns]} for one record per object, else
 * {@code [records, columns]}. A record that does not parse, that the process filters out, or an object with
 * another number of records fails with a {@link SluiceException} naming the key and the line.
 */
public final class Records {
  private Records() {}

  /**
   * A step from a one-line CSV object ({@code ,}-separated, RFC 4180 quotes) to the features of
   * {@code process}'s final schema.
   *
   * @throws IllegalArgumentException if the final schema has a column that is not numeric
   * @throws NullPointerException if {@code process} is null
   */
  public static Transform<StoredObject, Features> csv(TransformProcess process) {
    return new RecordStep(process, RecordStep.Syntax.CSV, ',', 1);
  }

  /**
   * A step from a CSV object of {@code rowsPerObject} lines separated by {@code delimiter} to features of
   * shape {@code [columns]} ({@code rowsPerObject == 1}) or {@code [rowsPerObject, columns]}.
   *
   * @throws IllegalArgumentException if {@code rowsPerObject} is not positive, the delimiter is a quote or a
   *     line break, or the final schema has a column that is not numeric
   * @throws NullPointerException if {@code process} is null
   */
  public static Transform<StoredObject, Features> csv(TransformProcess process, char delimiter, int rowsPerObject) {
    return new RecordStep(process, RecordStep.Syntax.CSV, delimiter, rowsPerObject);
  }

  /**
   * A step from a one-line JSON Lines object (a flat JSON object whose fields are named as the process's
   * initial columns; other fields are ignored) to the features of {@code process}'s final schema.
   *
   * @throws IllegalArgumentException if the final schema has a column that is not numeric
   * @throws NullPointerException if {@code process} is null
   */
  public static Transform<StoredObject, Features> jsonLines(TransformProcess process) {
    return new RecordStep(process, RecordStep.Syntax.JSON_LINES, ',', 1);
  }

  /**
   * A step from a JSON Lines object of {@code rowsPerObject} lines to features of shape {@code [columns]} or
   * {@code [rowsPerObject, columns]}.
   *
   * @throws IllegalArgumentException if {@code rowsPerObject} is not positive or the final schema has a
   *     column that is not numeric
   * @throws NullPointerException if {@code process} is null
   */
  public static Transform<StoredObject, Features> jsonLines(TransformProcess process, int rowsPerObject) {
    return new RecordStep(process, RecordStep.Syntax.JSON_LINES, ',', rowsPerObject);
  }

  /**
   * A step from an object to its content as strict UTF-8 text: malformed bytes fail with a
   * {@link SluiceException} naming the key.
   */
  public static Transform<StoredObject, String> text() {
    return Text.INSTANCE;
  }

  /** A step from an object to its bytes, as a read-only buffer over them (not a copy). */
  public static Transform<StoredObject, ByteBuffer> bytes() {
    return Bytes.INSTANCE;
  }

  /**
   * A step that hands an object's bytes to {@code decoder}, a function of your own; an exception it throws
   * is reported as a {@link SluiceException} naming the key (a {@code SluiceException} passes as is).
   * The bytes must not be modified. {@code name} describes the decoder in the chain's {@code toString()} and
   * {@link Transforms#cacheKey}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static <T> Transform<StoredObject, T> decoder(String name, Function<? super byte[], ? extends T> decoder) {
    return new UserDecoder<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(decoder, "decoder"));
  }

  private enum Text implements Transform<StoredObject, String> {
    INSTANCE;

    @Override
    public String apply(StoredObject input, SampleContext context) {
      return decodeUtf8(input);
    }

    @Override
    public String toString() {
      return "text(UTF-8)";
    }
  }

  /** The object's content as strict UTF-8. */
  static String decodeUtf8(StoredObject input) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(input.bytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SluiceException("cannot read " + input.uri() + " as UTF-8 text: " + e, input.uri(), false, e);
    }
  }

  private enum Bytes implements Transform<StoredObject, ByteBuffer> {
    INSTANCE;

    @Override
    public ByteBuffer apply(StoredObject input, SampleContext context) {
      return input.buffer();
    }

    @Override
    public String toString() {
      return "bytes";
    }
  }

  private static final class UserDecoder<T> implements Transform<StoredObject, T> {
    private final String name;
    private final Function<? super byte[], ? extends T> decoder;

    UserDecoder(String name, Function<? super byte[], ? extends T> decoder) {
      this.name = name;
      this.decoder = decoder;
    }

    @Override
    public T apply(StoredObject input, SampleContext context) {
      T value;
      try {
        value = decoder.apply(input.bytes());
      } catch (SluiceException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new SluiceException("decoder " + name + " failed on " + input.uri() + ": " + e, input.uri(), false, e);
      }
      if (value == null) {
        throw new SluiceException("decoder " + name + " returned null for " + input.uri(), input.uri(), false, null);
      }
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof UserDecoder<?> d && name.equals(d.name) && decoder.equals(d.decoder);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return "decoder(" + name + ")";
    }
  }
}
