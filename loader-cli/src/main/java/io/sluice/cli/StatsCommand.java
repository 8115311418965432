package io.sluice.cli;

import io.sluice.loader.manifest.Manifest;
import io.sluice.manifest.tools.ClassCounts;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice manifest stats}: what a manifest holds. */
@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"What a manifest holds: format, digest, entries per class per channel.", "",
        "Reads a manifest in any format (streaming) and prints its format, SHA-256, prefix, entries and content "
            + "digest per channel, what the entries record (size, ETag, version id), and the number of entries "
            + "per class per channel."})
final class StatsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "MANIFEST", description = "a manifest file or s3://bucket/key")
  String location;

  @Mixin
  ManifestOptions manifestOptions;

  @Mixin
  S3Options s3Options;

  @Override
  public Integer call() throws IOException {
    PrintStream out = Main.out(spec);
    try (S3Connection s3 = s3Options.connect()) {
      ManifestInput input = ManifestInput.read(location, manifestOptions, s3);
      out.printf(Locale.ROOT, "file      %s%n", input.location());
      out.printf(Locale.ROOT, "format    %s (%s)%n", input.format().describe(), input.format().id());
      out.printf(Locale.ROOT, "sha256    %s%n", input.sha256());
      Manifest first = input.channels().values().iterator().next();
      out.printf(Locale.ROOT, "prefix    %s%n", first.prefix());
      out.printf(Locale.ROOT, "entries   %d%n", input.entries());
      long sized = 0;
      long tagged = 0;
      long versioned = 0;
      long bytes = 0;
      for (Map.Entry<String, Manifest> e : input.channels().entrySet()) {
        Manifest m = e.getValue();
        out.printf(Locale.ROOT, "channel   %-10s %9d entries  digest %s%n", e.getKey(), m.size(), m.digest());
        for (int i = 0; i < m.size(); i++) {
          long size = m.objectSize(i);
          if (size >= 0) {
            sized++;
            bytes += size;
          }
          tagged += m.etag(i) != null ? 1 : 0;
          versioned += m.versionId(i) != null ? 1 : 0;
        }
      }
      long n = input.entries();
      out.printf(Locale.ROOT, "records   size %d/%d, etag %d/%d, version id %d/%d%n", sized, n, tagged, n, versioned, n);
      if (sized > 0) {
        out.printf(Locale.ROOT, "bytes     %d (%s) in the %d entries that record a size%n", bytes, human(bytes), sized);
      }
      out.printf(Locale.ROOT, "classes   %d%n%n", first.labels().size());
      out.print(ClassCounts.of(input.channels()).table());
      return 0;
    }
  }

  static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
