package io.sluice.benchmarks.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the harness runs on, and how busy it is, read from the JVM and {@code /proc}. */
public final class Machine {
  /** {@code /proc/<pid>/stat} counts CPU time in ticks of 1/100 s on Linux. */
  static final int CLOCK_TICKS = 100;

  private Machine() {}

  /** Cores, CPU model, memory, JDK and OS. */
  public static Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    String memTotal = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    out.put("memoryGb", memTotal == null ? null
        : Math.round(Long.parseLong(memTotal.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0);
    out.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version"));
    String pretty = firstValue(Path.of("/etc/os-release"), "PRETTY_NAME");
    out.put("os", (pretty == null ? System.getProperty("os.name") : pretty.replace("\"", "")) + ", kernel "
        + System.getProperty("os.version") + ", " + System.getProperty("os.arch"));
    return out;
  }

  /**
   * The same description of the JDK whose launcher is {@code launcher} (from its {@code -XshowSettings:properties}).
   *
   * @throws IOException if it cannot be run or does not describe itself
   */
  static String jdk(Path launcher) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(launcher.toString(), "-XshowSettings:properties", "-version").redirectErrorStream(true)
        .start();
    Map<String, String> properties = new LinkedHashMap<>();
    for (String line : new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
        .split("\n")) {
      int eq = line.indexOf(" = ");
      if (eq > 0) {
        properties.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 3).trim());
      }
    }
    p.waitFor();
    String vendor = properties.get("java.vm.vendor");
    String name = properties.get("java.vm.name");
    String version = properties.get("java.runtime.version");
    if (vendor == null || name == null || version == null) {
      throw new IOException(launcher + " -XshowSettings:properties -version did not name its vendor, VM and version");
    }
    return vendor + " " + name + " " + version;
  }

  /** The system load average of the last minute. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** User plus system CPU ticks of a process so far, or 0 if unknown. */
  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU ticks all processes spent busy so far (user, nice, system, irq, softirq, steal), or 0 if unknown. */
  static long busyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]) + Long.parseLong(f[8]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        int sep = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
        if (sep > 0 && line.substring(0, sep).trim().equals(key)) {
          return line.substring(sep + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return null;
  }
}
