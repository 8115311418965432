package io.sluice.cli.bench;

import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.Manifests;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How long reading a large manifest takes and how much heap it needs: writes a manifest of N entries with
 * ~40-character keys in 1000 class folders (once; the file is kept), then reads it and reports the time,
 * the heap the manifest retains and the peak heap while reading. Not a test: run it on the machine you
 * want figures for, with the heap bound you want to prove:
 *
 * <pre>
 * mvn -q -pl loader-cli -am compile -Dsluice.bench="--entries 10000000"
 * mvn -q -pl loader-cli -am compile -Dsluice.bench="--entries 10000000 --format csv --pinned"
 * </pre>
 *
 * <p>That runs this class in a fresh JVM with {@code -Xmx1500m} (see the {@code sluice-bench} profile of
 * {@code loader-cli/pom.xml}; {@code -Dsluice.bench.heap=800m} sets another bound); the files go to {@code loader-cli/target/manifest-bench/}. Options:
 * {@code --entries N} (default 10,000,000), {@code --format manifest|csv|augmented|keys} (default manifest),
 * {@code --pinned} (CSV and augmented: record size and ETag), {@code --dir DIR}, {@code --rounds R} (default 1).
 */
public final class ManifestReadBenchmark {
  /** The largest heap in use right after any collection since the last reset: the live set's peak. */
  private static final AtomicLong LIVE = new AtomicLong();

  private ManifestReadBenchmark() {}

  private static void watchCollections() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (MemoryUsage usage : info.getGcInfo().getMemoryUsageAfterGc().values()) {
          used += usage.getUsed();
        }
        LIVE.accumulateAndGet(used, Math::max);
      }, null, null);
    }
  }

  /** The options, read by picocli. */
  @Command(name = "ManifestReadBenchmark", description = "How long reading a large manifest takes and how much "
      + "heap it needs.")
  static final class Flags {
    @Option(names = "--entries", paramLabel = "N", description = "entries to write and read (default 10000000)")
    int entries = 10_000_000;
    @Option(names = "--format", paramLabel = "F", description = "manifest, csv, augmented or keys (default manifest)")
    String format = "manifest";
    @Option(names = "--pinned", description = "csv and augmented: record size and ETag")
    boolean pinned;
    @Option(names = "--dir", paramLabel = "DIR", description = "where the file goes (default target/manifest-bench)")
    Path dir = Path.of("target", "manifest-bench");
    @Option(names = "--rounds", paramLabel = "R", description = "reads to time (default 1)")
    int rounds = 1;
  }

  /** Runs the benchmark; see the class description for the options. */
  public static void main(String[] args) throws IOException {
    Flags flags = new Flags();
    try {
      new CommandLine(flags).parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    int entries = flags.entries;
    ManifestFormat format = ManifestFormat.ofId(flags.format);
    boolean pinned = flags.pinned;
    Path dir = flags.dir;
    int rounds = flags.rounds;
    if (pinned && !format.recordsLabels()) {
      throw new IllegalArgumentException("--pinned needs a format with fields: csv or augmented");
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("bench-" + entries + (pinned ? "-pinned" : "") + format.extension());
    if (!Files.exists(file)) {
      long start = System.nanoTime();
      generate(file, entries, format, pinned);
      System.out.printf(Locale.ROOT, "wrote %s in %.1f s%n", file, (System.nanoTime() - start) / 1e9);
    }
    watchCollections();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "file %s: %,d bytes, %,d entries; max heap %,d MB; %s %s%n", file,
        Files.size(file), entries, rt.maxMemory() >> 20, System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    for (int round = 1; round <= rounds; round++) {
      Manifest m = null;
      System.gc();
      long before = usedAfterGc();
      LIVE.set(0);
      long start = System.nanoTime();
      m = Manifests.reader().format(format).prefix("s3://bench-bucket/images/").build().read(file);
      long elapsed = System.nanoTime() - start;
      long peakLive = LIVE.getAndSet(0);
      long retained = usedAfterGc() - before;
      System.out.printf(Locale.ROOT, "round %d: read %,d entries in %.2f s (%.0f entries/s); manifest retains %,d MB "
          + "(%.1f bytes/entry); peak live heap after a GC while reading %,d MB; %d classes, last key %s%n", round,
          m.size(), elapsed / 1e9, m.size() / (elapsed / 1e9), retained >> 20, (double) retained / m.size(),
          peakLive >> 20, m.labels().size(), m.key(m.size() - 1));
      long digestStart = System.nanoTime();
      String digest = m.digest();
      System.out.printf(Locale.ROOT, "round %d: digest %s... in %.2f s%n", round, digest.substring(0, 16),
          (System.nanoTime() - digestStart) / 1e9);
    }
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Keys like {@code c0042/img_000000012345_3fa9c1e07b2d.jpg}: 39 characters. */
  private static void generate(Path file, int entries, ManifestFormat format, boolean pinned) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    HexFormat hex = HexFormat.of();
    String prefix = "s3://bench-bucket/images/";
    try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
        1 << 20)) {
      switch (format) {
        case MANIFEST_FILE -> w.write("[\n{\"prefix\":\"" + prefix + "\"}");
        case CSV -> w.write(pinned ? "uri,label,size,etag\n" : "uri,label\n");
        default -> { }
      }
      StringBuilder line = new StringBuilder(200);
      byte[] six = new byte[6];
      byte[] sixteen = new byte[16];
      for (int i = 0; i < entries; i++) {
        String c = String.format(Locale.ROOT, "c%04d", random.nextInt(1000));
        random.nextBytes(six);
        String key = c + "/img_" + String.format(Locale.ROOT, "%012d", i) + "_" + hex.formatHex(six) + ".jpg";
        line.setLength(0);
        switch (format) {
          case MANIFEST_FILE -> line.append(",\n\"").append(key).append('"');
          case KEYS -> line.append(prefix).append(key).append('\n');
          case CSV -> {
            line.append(prefix).append(key).append(',').append(c);
            if (pinned) {
              random.nextBytes(sixteen);
              line.append(',').append(10_000 + random.nextInt(200_000)).append(',').append(hex.formatHex(sixteen));
            }
            line.append('\n');
          }
          case AUGMENTED -> {
            line.append("{\"source-ref\":\"").append(prefix).append(key).append("\",\"class\":\"").append(c).append('"');
            if (pinned) {
              random.nextBytes(sixteen);
              line.append(",\"size\":").append(10_000 + random.nextInt(200_000)).append(",\"etag\":\"")
                  .append(hex.formatHex(sixteen)).append('"');
            }
            line.append("}\n");
          }
          default -> throw new IllegalStateException("format " + format);
        }
        w.append(line);
      }
      if (format == ManifestFormat.MANIFEST_FILE) {
        w.write("\n]\n");
      }
    }
  }
}
