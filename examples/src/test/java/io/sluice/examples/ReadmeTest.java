package io.sluice.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps README.md honest: its DL4J example is the compiled {@link ReadmeExample}, its quick start two commands (the
 * second, scripts/verify, runs every test on JDK 17 and on JDK 25). */
class ReadmeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static List<String> block(List<String> lines, String heading, String fence) {
    int at = lines.indexOf(heading);
    assertTrue(at >= 0, "README.md has a '" + heading + "' section");
    int open = -1;
    for (int i = at + 1; i < lines.size(); i++) {
      if (lines.get(i).startsWith("## ")) {
        break;
      }
      if (lines.get(i).equals(fence)) {
        open = i;
        break;
      }
    }
    assertTrue(open > 0, "'" + heading + "' has a " + fence + " block");
    List<String> out = new ArrayList<>();
    for (int i = open + 1; !lines.get(i).equals("```"); i++) {
      out.add(lines.get(i));
    }
    return out;
  }

  private static List<String> dedent(List<String> lines) {
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
  }

  @Test
  void dl4jExampleIsTheCompiledOne() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    List<String> shown = block(readme, "## Use it from DL4J", "```java");
    List<String> source = Files.readAllLines(ROOT.resolve("examples/src/main/java/io/sluice/examples/ReadmeExample.java"));
    int begin = source.indexOf("    // README:begin");
    int end = source.indexOf("    // README:end");
    assertTrue(begin > 0 && end > begin, "ReadmeExample.java has README:begin/end markers");
    assertEquals(dedent(source.subList(begin + 1, end)), shown, "README's example and ReadmeExample.java differ");
    assertTrue(shown.size() < 15, "the example is under 15 lines, is " + shown.size());
  }

  @Test
  void quickStartIsTwoCommandsDemoThenTests() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    List<String> commands = block(readme, "## Quick start", "```bash").stream().filter(l -> !l.isBlank()).toList();
    assertEquals(2, commands.size(), "exactly two commands: " + commands);
    assertTrue(commands.get(0).contains("-Pdemo"), "the first runs the demo: " + commands.get(0));
    assertEquals("scripts/verify", commands.get(1), "the second runs the tests");
    String script = Files.readString(ROOT.resolve("scripts/verify"));
    assertTrue(script.contains("\nmvn -B verify \"$@\"\n"), "it runs every test on the default JDK:\n" + script);
    assertTrue(script.contains("JAVA_HOME=\"$jdk25\" mvn -B clean verify"), "and again on JDK 25:\n" + script);
    assertTrue(Files.isExecutable(ROOT.resolve("scripts/verify")), "scripts/verify is executable");
  }
}
