package io.sluice.cli;

import io.sluice.loader.manifest.Manifest;
import io.sluice.manifest.tools.ClassCounts;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code sluice manifest stats}: what a manifest holds. */
final class StatsCommand {
  static final String HELP = """
      Usage: sluice manifest stats FILE|s3://bucket/key [options]

      Reads a manifest in any format (streaming) and prints its format, SHA-256, prefix, entries and
      content digest per channel, what the entries record (size, ETag, version id), and the number of
      entries per class per channel.

      Options:
      """ + ManifestInput.HELP + S3Connection.HELP;

  private static final Set<String> VALUED = BuildCommand.union(ManifestInput.VALUED, S3Connection.VALUED);
  private static final Set<String> FLAGS = BuildCommand.union(BuildCommand.union(ManifestInput.FLAGS,
      S3Connection.FLAGS), Set.of("help"));

  private StatsCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    Arguments a = Arguments.parse(args, VALUED, FLAGS);
    if (a.flag("help")) {
      out.print(HELP);
      return 0;
    }
    if (a.operands().size() != 1) {
      throw new UsageException("stats takes one manifest, FILE or s3://bucket/key; was given " + a.operands().size());
    }
    try (S3Connection s3 = new S3Connection(a)) {
      ManifestInput input = ManifestInput.read(a.operands().get(0), a, s3);
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
