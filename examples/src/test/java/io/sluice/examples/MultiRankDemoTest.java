package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MultiRankDemoTest {

  @Test
  void threeRanksReadDisjointCompleteShardsOfEqualLength() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    new MultiRankDemo(DemoOptions.parse("--images", "250", "--epochs", "2", "--ranks", "3", "--batch", "16"), out).run();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    // 200 training images over 3 ranks: 67 each, one pad on the last rank; 5 batches of 16 each.
    Matcher m = Pattern.compile("epoch (\\d) rank (\\d): (\\d+) samples \\((\\d) pad\\), (\\d+) batches").matcher(printed);
    int lines = 0;
    int samples = 0;
    while (m.find()) {
      lines++;
      samples += Integer.parseInt(m.group(3));
      assertEquals(67, Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4)), m.group());
      assertEquals(5, Integer.parseInt(m.group(5)), m.group());
    }
    assertEquals(6, lines, printed);
    assertEquals(400, samples, "two epochs of 200");
    assertEquals(2, printed.split("shards disjoint and complete \\(200 of 200 samples covered, 0 read by two ranks\\)",
        -1).length - 1, printed);
    assertTrue(printed.contains("averaged model validation accuracy"), printed);
  }
}
