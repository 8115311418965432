package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the demo end to end, small: embedded S3, upload, manifests, one epoch of training, evaluation. */
class TrainFromS3DemoTest {

  @Test
  void demoRunsEndToEndOnASmallDataset() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    double accuracy = new TrainFromS3Demo(DemoOptions.parse("--images", "300", "--epochs", "2", "--batch", "16"), out)
        .run();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("Manifests: train 240 images, validation 60 images, 10 classes"), printed);
    assertTrue(printed.contains("upload 100%") && printed.contains("300/300"), "progress bar reaches the end\n"
        + printed);
    Matcher epochLine = Pattern.compile("(?m)^\\s+2\\s+(\\d+)\\s+([\\d.]+) s\\s+([\\d.]+)%\\s+([\\d.]+)%").matcher(printed);
    assertTrue(epochLine.find(), "an epoch-2 line with images/s, wait and accuracy\n" + printed);
    assertTrue(Integer.parseInt(epochLine.group(1)) > 0, "images/s is positive");
    assertEquals(accuracy * 100, Double.parseDouble(epochLine.group(4)), 0.01);
    assertTrue(printed.contains("Loader totals: train 480 samples in 30 batches"), printed);
    // Ten balanced classes: chance is 10%. Two short epochs already learn well past it.
    assertTrue(accuracy > 0.3, "validation accuracy " + accuracy);
  }

  @Test
  void badFlagsAreRefusedNamingTheFlag() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--epochs", "0"));
    assertTrue(e.getMessage().contains("--epochs must be positive, was 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--access-key", "x"));
    assertTrue(e.getMessage().contains("--secret-key"), e.getMessage());
    assertTrue(!DemoOptions.parse("--access-key", "AKIAEXAMPLE", "--secret-key", "s3cr3t").toString().contains("s3cr3t"));
    e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--colour", "red"));
    assertTrue(e.getMessage().contains("Unknown options: '--colour', 'red'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--batch", "many"));
    assertTrue(e.getMessage().contains("Invalid value for option '--batch': 'many' is not an int"), e.getMessage());
    assertTrue(DemoOptions.parse("--help").help());
    assertTrue(DemoOptions.usage().contains("--min-accuracy=X"), DemoOptions.usage());
  }
}
