package io.sluice.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps README.md's "Train on Spark" example identical to the compiled {@link SparkReadmeExample}. */
class SparkReadmeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void sparkExampleIsTheCompiledOne() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    int at = readme.indexOf("## Train on Spark");
    assertTrue(at >= 0, "README.md has a 'Train on Spark' section");
    int open = readme.subList(at, readme.size()).indexOf("```java") + at;
    assertTrue(open > at, "'Train on Spark' has a java block");
    List<String> shown = new ArrayList<>();
    for (int i = open + 1; !readme.get(i).equals("```"); i++) {
      shown.add(readme.get(i));
    }
    List<String> source = Files.readAllLines(
        ROOT.resolve("loader-spark/src/test/java/io/sluice/spark/SparkReadmeExample.java"));
    int begin = source.indexOf("    // README:begin");
    int end = source.indexOf("    // README:end");
    assertTrue(begin > 0 && end > begin, "SparkReadmeExample.java has README:begin/end markers");
    List<String> example = source.subList(begin + 1, end).stream()
        .map(l -> l.isBlank() ? "" : l.substring(4)).toList();
    assertEquals(example, shown, "README's Spark example and SparkReadmeExample.java differ");
  }
}
