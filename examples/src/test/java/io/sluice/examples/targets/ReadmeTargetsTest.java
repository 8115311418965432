package io.sluice.examples.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's targets example is the compiled {@link ReadmeTargetsExample}, and it runs. */
class ReadmeTargetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String HEADING = "## Targets: multi-label, regression, detection, segmentation, several inputs";

  @Test
  void theReadmeShowsTheCompiledExample() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    int at = readme.indexOf(HEADING);
    assertTrue(at >= 0, "README.md has the targets section");
    int open = at + 1;
    while (!readme.get(open).equals("```java")) {
      open++;
    }
    List<String> shown = new ArrayList<>();
    for (int i = open + 1; !readme.get(i).equals("```"); i++) {
      shown.add(readme.get(i));
    }
    List<String> source = Files.readAllLines(
        ROOT.resolve("examples/src/main/java/io/sluice/examples/targets/ReadmeTargetsExample.java"));
    List<String> compiled = source.subList(source.indexOf("    // README:begin") + 1, source.indexOf("    // README:end"))
        .stream().map(l -> l.isBlank() ? "" : l.substring(4)).toList();
    assertEquals(compiled, shown, "README's targets example and ReadmeTargetsExample.java differ");
  }

  @Test
  void theExampleReadsGroundTruthBoxes(@TempDir Path dir) throws IOException {
    AnnotatedShapes.Data data = AnnotatedShapes.generate("mem://readme/", 40, 2);
    Path file = dir.resolve("train.manifest");
    Files.writeString(file, data.manifestText(), StandardCharsets.UTF_8);
    try (DataLoader loader = ReadmeTargetsExample.loader(file, data.store(), AnnotatedShapes.SHAPES);
        BatchIterator epoch = loader.epoch(0)) {
      Batch b = epoch.next();
      assertArrayEquals(new long[] {32, 3, 224, 224}, b.features().shape());
      assertArrayEquals(new long[] {32, 4 + 3, 7, 7}, b.labels().shape());
      assertTrue(b.labels().sumNumber().doubleValue() > 0, "some boxes survive the crops");
    }
  }
}
