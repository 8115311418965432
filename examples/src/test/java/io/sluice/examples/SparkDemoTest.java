package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The Spark demo end to end, small: embedded S3, upload, manifests, dl4j-spark in {@code local[2]}, evaluation.
 * Spark 3.5 cannot start on JDK 23+, so this runs on JDK 17-22 only.
 */
@EnabledForJreRange(max = JRE.JAVA_22)
class SparkDemoTest {
  /** The validation accuracy this small run must reach (README states it). */
  static final double REQUIRED_ACCURACY = 0.7;

  @Test
  void sparkDemoTrainsFromTheEmbeddedServerToTheStatedAccuracy() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int epochs = 4;
    double accuracy = new SparkDemo(DemoOptions.parse("--images", "1000", "--epochs", String.valueOf(epochs),
        "--batch", "16", "--master", "local[2]"), out).run();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    assertTrue(printed.contains("Manifests: train 800 images, validation 200 images, 10 classes"), printed);
    assertTrue(printed.contains("master local[2]: 2 shards"), printed);
    Pattern row = Pattern.compile("(?m)^\\s+(\\d)\\s+(\\d+)\\s+([\\d.]+) s\\s+([\\d.]+)%\\s+([\\d.]+)%\\s+([\\d.]+) s$");
    Matcher m = row.matcher(printed);
    int rows = 0;
    double last = -1;
    while (m.find()) {
      rows++;
      assertEquals(rows, Integer.parseInt(m.group(1)), m.group());
      assertTrue(Integer.parseInt(m.group(2)) > 0, "images/s: " + m.group());
      assertTrue(Double.parseDouble(m.group(3)) > 0, "data wait is measured on the executors: " + m.group());
      last = Double.parseDouble(m.group(5));
    }
    assertEquals(epochs, rows, "one row per epoch with images/s, data wait and accuracy\n" + printed);
    assertEquals(accuracy * 100, last, 0.01);
    // 800 training images over 2 shards, batch 16: 25 batches each, one GET per image.
    assertTrue(printed.contains("Executors, last epoch 3: 800 samples in 50 batches (0 skipped) over 2 shards"),
        printed);
    Matcher gets = Pattern.compile("Executors, last epoch 3: .* (\\d+) GETs, .* (\\d+) hedges,").matcher(printed);
    assertTrue(gets.find(), printed);
    int getCount = Integer.parseInt(gets.group(1));
    assertTrue(getCount >= 800 && getCount <= 800 + Integer.parseInt(gets.group(2)),
        "one GET per training image in the epoch (a hedged GET may add one)\n" + printed);
    assertTrue(accuracy >= REQUIRED_ACCURACY, "validation accuracy " + accuracy + " below the stated "
        + REQUIRED_ACCURACY);
  }
}
