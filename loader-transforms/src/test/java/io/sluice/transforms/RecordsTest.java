package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.datavec.api.transform.MathOp;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.condition.ConditionOp;
import org.datavec.api.transform.condition.column.DoubleColumnCondition;
import org.datavec.api.transform.filter.ConditionFilter;
import org.datavec.api.transform.schema.Schema;
import org.junit.jupiter.api.Test;

/** CSV and JSON Lines through DataVec, exact (values are small binary fractions); text, bytes, decoders. */
class RecordsTest {
  private static final Schema SCHEMA = new Schema.Builder()
      .addColumnString("id")
      .addColumnsDouble("width", "height")
      .addColumnInteger("count")
      .addColumnCategorical("kind", List.of("cat", "dog", "bird"))
      .build();

  /** Drops the id, halves the width, turns the kind into its index. */
  private static final TransformProcess PROCESS = new TransformProcess.Builder(SCHEMA)
      .removeColumns("id")
      .doubleMathOp("width", MathOp.Multiply, 0.5)
      .categoricalToInteger("kind")
      .build();

  private static StoredObject object(String text) {
    return new StoredObject(KEY, text.getBytes(StandardCharsets.UTF_8), null, null);
  }

  private static float[] values(Features features) {
    long n = Arrays.stream(features.shape()).reduce(1, (a, b) -> a * b);
    FloatBuffer slot = FloatBuffer.allocate((int) n);
    features.writeTo(slot);
    return slot.array();
  }

  @Test
  void csvRecordBecomesTheFinalSchemasNumbers() {
    Features features = Records.csv(PROCESS).apply(object("a7,3,1.25,4,dog\n"), CONTEXT);
    assertArrayEquals(new long[] {4}, features.shape());
    assertArrayEquals(new float[] {1.5f, 1.25f, 4, 1}, values(features));
  }

  @Test
  void csvQuotesAndOtherDelimiters() {
    Features quoted = Records.csv(PROCESS).apply(object("\"a, \"\"quoted\"\" id\",3,1.25,4,\"bird\"\r\n"), CONTEXT);
    assertArrayEquals(new float[] {1.5f, 1.25f, 4, 2}, values(quoted));
    Features tabs = Records.csv(PROCESS, '\t', 2).apply(object("a\t2\t0.5\t1\tcat\n\nb\t8\t2\t3\tbird\n"), CONTEXT);
    assertArrayEquals(new long[] {2, 4}, tabs.shape());
    assertArrayEquals(new float[] {1, 0.5f, 1, 0, 4, 2, 3, 2}, values(tabs));
  }

  @Test
  void jsonLinesMapFieldsByName() {
    String line = "{\"kind\": \"cat\", \"count\": 9, \"height\": 0.75, \"width\": 10, \"id\": \"x\", \"extra\": [1]}";
    Features features = Records.jsonLines(PROCESS).apply(object(line), CONTEXT);
    assertArrayEquals(new float[] {5, 0.75f, 9, 0}, values(features));
    Features two = Records.jsonLines(PROCESS, 2).apply(object(line + "\n" + line.replace("10", "2") + "\n"), CONTEXT);
    assertArrayEquals(new float[] {5, 0.75f, 9, 0, 1, 0.75f, 9, 0}, values(two));
  }

  @Test
  void badRecordsFailNamingTheKeyAndLine() {
    Transform<StoredObject, Features> csv = Records.csv(PROCESS);
    assertFailure(csv, "a,1,2,3\n", KEY + " line 1 has 4 fields but the schema has 5 columns");
    assertFailure(csv, "a,1,2,3,dog\nb,1,2,3,cat\n", KEY + " holds 2 records but ");
    assertFailure(csv, "a,x,2,3,dog", "cannot transform " + KEY + " line 1: java.lang.NumberFormatException");
    assertFailure(csv, "\"a,1,2,3,dog", KEY + " line 1 has an unclosed quote");
    assertFailure(Records.jsonLines(PROCESS), "{\"id\": \"a\", \"width\": 1, \"height\": 2, \"count\": 3}",
        KEY + " line 1 has no field 'kind'");
    assertFailure(Records.jsonLines(PROCESS), "[1, 2]", KEY + " line 1 is not a JSON object");
    assertFailure(Records.jsonLines(PROCESS), "{\"id\": {\"nested\": 1}}",
        "field 'id' of " + KEY + " line 1 is START_OBJECT");
    assertFailure(Records.jsonLines(PROCESS), "{\"id\": ", KEY + " line 1 is not valid JSON");
  }

  @Test
  void filteredRecordsCannotBeSkipped() {
    TransformProcess filtering = new TransformProcess.Builder(SCHEMA)
        .filter(new ConditionFilter(new DoubleColumnCondition("width", ConditionOp.GreaterThan, 100)))
        .removeColumns("id", "kind")
        .build();
    assertFailure(Records.csv(filtering), "a,500,1,1,dog",
        KEY + " line 1 was filtered out by the transform process; a sample cannot be skipped");
    assertArrayEquals(new float[] {5, 1, 1}, values(Records.csv(filtering).apply(object("a,5,1,1,dog"), CONTEXT)));
  }

  private static void assertFailure(Transform<StoredObject, Features> step, String text, String messageStart) {
    SluiceException e = assertThrows(SluiceException.class, () -> step.apply(object(text), CONTEXT));
    assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
    assertEquals(KEY, e.key());
  }

  @Test
  void finalSchemaMustBeNumeric() {
    TransformProcess keepsText = new TransformProcess.Builder(SCHEMA).removeColumns("kind").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Records.csv(keepsText));
    assertTrue(e.getMessage().startsWith("column 'id' of the final schema is String"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Records.csv(PROCESS, ',', 0));
    assertThrows(IllegalArgumentException.class, () -> Records.csv(PROCESS, '"', 1));
  }

  @Test
  void recordStepsDescribeTheirProcess() {
    String csv = Records.csv(PROCESS).toString();
    assertTrue(csv.startsWith("csv([id, width, height, count, kind] -> [width, height, count, kind], 1 record per object,"
        + " process "), csv);
    assertEquals(Records.csv(PROCESS), Records.csv(TransformProcess.fromJson(PROCESS.toJson())));
    assertNotEquals(Records.csv(PROCESS), Records.jsonLines(PROCESS));
    assertNotEquals(Records.csv(PROCESS), Records.csv(new TransformProcess.Builder(SCHEMA)
        .removeColumns("id").doubleMathOp("width", MathOp.Multiply, 0.25).categoricalToInteger("kind").build()));
  }

  @Test
  void textBytesAndDecodersPassTheContentOn() {
    StoredObject object = object("héllo");
    assertEquals("héllo", Records.text().apply(object, CONTEXT));
    ByteBuffer bytes = Records.bytes().apply(object, CONTEXT);
    assertTrue(bytes.isReadOnly());
    assertEquals(6, bytes.remaining());
    Transform<StoredObject, Integer> length = Records.decoder("length", b -> b.length);
    assertEquals(6, length.apply(object, CONTEXT));
    assertEquals("decoder(length)", length.toString());
    SluiceException malformed = assertThrows(SluiceException.class,
        () -> Records.text().apply(new StoredObject(KEY, new byte[] {(byte) 0xC3}, null, null), CONTEXT));
    assertTrue(malformed.getMessage().startsWith("cannot read " + KEY + " as UTF-8 text"));
    SluiceException failing = assertThrows(SluiceException.class,
        () -> Records.decoder("parse", b -> Integer.parseInt("x")).apply(object, CONTEXT));
    assertEquals("decoder parse failed on " + KEY + ": java.lang.NumberFormatException: For input string: \"x\"",
        failing.getMessage());
    assertEquals(KEY, failing.key());
  }
}
