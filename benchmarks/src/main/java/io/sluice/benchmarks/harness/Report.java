package io.sluice.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** Writes a comparison run as {@code latest.json}, {@code latest.md} and {@code latest.png}. */
final class Report {
  /** The metrics summarised as median, min and max over the repetitions, with their units. */
  static final Map<String, String> METRICS = new LinkedHashMap<>();

  static {
    METRICS.put("imgPerSec", "img/s, steady state: batches after the warm-up (--warmup-seconds), over --seconds");
    METRICS.put("timeToFirstBatchMs", "ms from loader build to the first batch");
    METRICS.put("waitP50Ms", "ms the consumer waited in next(), median over steady-state batches");
    METRICS.put("waitP99Ms", "ms the consumer waited in next(), 99th percentile");
    METRICS.put("waitShare", "share of steady-state wall time spent waiting for data");
    METRICS.put("peakHeapMb", "MB, sum of the heap pools' peak usage");
    METRICS.put("rssMb", "MB, peak resident set size (VmHWM)");
    METRICS.put("gcMs", "ms of GC over the whole JVM run");
    METRICS.put("getP50Ms", "ms per GET, median (raw GET only)");
    METRICS.put("getP99Ms", "ms per GET, 99th percentile (raw GET only)");
    METRICS.put("s3ServerCpuSeconds", "CPU seconds the S3 server process used during the trial");
    METRICS.put("jvmSeconds", "s the trial's JVM ran");
    METRICS.put("cpuSeconds", "CPU seconds the trial's JVM used");
    METRICS.put("cpuMsPerImage", "core-ms the trial's JVM used per image over the measured span");
    METRICS.put("serverCpuMsPerImage", "core-ms the S3 server used per image over the measured span");
    METRICS.put("otherCpuSeconds", "CPU seconds other processes on the machine used during the trial (noise)");
  }

  private final Map<String, Object> machine;
  private final Map<String, Object> datasets;
  private final Map<String, Object> run;
  private final List<Compare.Config> configs;
  private final Map<String, List<JsonNode>> results;
  private final List<Map<String, Object>> sweep;
  private final long latencyMs;

  Report(Map<String, Object> machine, Map<String, Object> datasets, Map<String, Object> run,
      List<Compare.Config> configs, Map<String, List<JsonNode>> results, List<Map<String, Object>> sweep,
      long latencyMs) {
    this.machine = machine;
    this.datasets = datasets;
    this.run = run;
    this.configs = configs;
    this.results = results;
    this.sweep = sweep;
    this.latencyMs = latencyMs;
  }

  record Summary(double median, double min, double max, List<Double> values) {}

  static Summary summarise(List<JsonNode> reps, String metric) {
    List<Double> values = new ArrayList<>();
    for (JsonNode rep : reps) {
      JsonNode v = rep.get(metric);
      if (v != null && v.isNumber()) {
        values.add(v.asDouble());
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Summary(median, sorted.get(0), sorted.get(n - 1), values);
  }

  private Summary summary(String id, String metric) {
    List<JsonNode> reps = results.get(id);
    return reps == null ? null : summarise(reps, metric);
  }

  private Double median(String id, String metric) {
    Summary s = summary(id, metric);
    return s == null ? null : s.median;
  }

  private Double ratio(String a, String b) {
    Double x = median(a, "imgPerSec");
    Double y = median(b, "imgPerSec");
    return x == null || y == null || y == 0 ? null : x / y;
  }

  private String fastestDecodeCeiling() {
    String best = null;
    for (Compare.Config c : configs) {
      if (c.id().startsWith("decode-") && median(c.id(), "imgPerSec") != null
          && (best == null || median(c.id(), "imgPerSec") > median(best, "imgPerSec"))) {
        best = c.id();
      }
    }
    return best;
  }

  void write(Path out) throws IOException {
    Files.createDirectories(out);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine);
    json.put("datasets", datasets);
    json.put("run", run);
    json.put("metrics", METRICS);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Compare.Config c : configs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", c.id());
      row.put("label", c.label());
      List<JsonNode> reps = results.getOrDefault(c.id(), List.of());
      row.put("repetitions", reps.size());
      if (!reps.isEmpty()) {
        row.put("pipeline", reps.get(0).path("chain").asText());
        if (reps.get(0).has("batchShape")) {
          row.put("batchShape", reps.get(0).path("batchShape").asText());
        }
        row.put("imagesPerRun", reps.get(0).path("images").asLong());
      }
      Map<String, Object> metrics = new LinkedHashMap<>();
      for (String metric : METRICS.keySet()) {
        Summary s = summarise(reps, metric);
        if (s != null) {
          metrics.put(metric, Map.of("median", round(s.median), "min", round(s.min), "max", round(s.max),
              "values", s.values.stream().map(Report::round).toList()));
        }
      }
      row.put("metrics", metrics);
      rows.add(row);
    }
    json.put("configurations", rows);
    Map<String, Object> ratios = new LinkedHashMap<>();
    ratios.put("s3OverMemory", round(ratio("sluice-s3", "sluice-memory")));
    ratios.put("s3OverLocal", round(ratio("sluice-s3", "sluice-local")));
    ratios.put("s3OverStockDl4j", round(ratio("sluice-s3", "dl4j-local")));
    ratios.put("memoryOverStockDl4j", round(ratio("sluice-memory", "dl4j-local")));
    ratios.put("s3OverNaive", round(ratio("sluice-s3", "naive-s3")));
    String ceiling = fastestDecodeCeiling();
    ratios.put("fastestDecodeCeiling", ceiling);
    ratios.put("memoryOverDecodeCeiling", ceiling == null ? null : round(ratio("sluice-memory", ceiling)));
    json.put("ratios", ratios);
    ratios.put("memoryOverCCeiling", round(ratio("sluice-memory", "c-ceiling-2t")));
    ratios.put("prefixOverCCeiling", round(ratio("sluice-prefix", "c-ceiling-2t")));
    Double s3Cpu = median("sluice-s3", "cpuMsPerImage");
    Double memoryCpu = median("sluice-memory", "cpuMsPerImage");
    ratios.put("s3CpuOverMemoryCpu", s3Cpu == null || memoryCpu == null ? null : round(s3Cpu / memoryCpu));
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("memoryOverCCeilingAtLeast0.95", atLeast(ratios.get("memoryOverCCeiling"), 0.95));
    targets.put("s3CpuOverMemoryCpuAtMost1.10", ratios.get("s3CpuOverMemoryCpu") == null ? null
        : (Double) ratios.get("s3CpuOverMemoryCpu") <= 1.10);
    targets.put("prefixOverCCeilingAtLeast3", atLeast(ratios.get("prefixOverCCeiling"), 3));
    targets.put("s3OverStockDl4jAtLeast5", atLeast(ratios.get("s3OverStockDl4j"), 5));
    for (int ms : new int[] {100, 200}) {
      Double p99 = null;
      for (Map<String, Object> row : sweep) {
        if (Integer.valueOf(ms).equals(row.get("consumerMsPerBatch"))) {
          p99 = (Double) row.get("waitP99Ms");
        }
      }
      targets.put("waitP99Below5MsAt" + ms + "MsPerBatch", p99 == null ? null : p99 < 5);
    }
    json.put("targets", targets);
    json.put("consumerSweep", sweep);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("latest.json").toFile(), json);
    Files.writeString(out.resolve("latest.md"), markdown(ratios, targets));
    ImageIO.write(chart(), "png", out.resolve("latest.png").toFile());
  }

  private static Boolean atLeast(Object ratio, double target) {
    return ratio == null ? null : (Double) ratio >= target;
  }

  private static Double round(Double v) {
    return v == null ? null : Math.round(v * 1000) / 1000.0;
  }

  private String cell(String id, String metric, String format) {
    Summary s = summary(id, metric);
    if (s == null) {
      return "–";
    }
    if (s.values.size() == 1 || String.format(Locale.ROOT, format, s.min).equals(String.format(Locale.ROOT, format,
        s.max))) {
      return String.format(Locale.ROOT, format, s.median);
    }
    return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", s.median, s.min, s.max);
  }

  private String markdown(Map<String, Object> ratios, Map<String, Object> targets) {
    StringBuilder md = new StringBuilder();
    md.append("# Sluice comparison: W1 (ImageNet-like JPEGs) through the W1 chain, batch 64\n\n");
    md.append("Machine: ").append(machine.get("cores")).append(" cores (").append(machine.get("cpu")).append("), ")
        .append(machine.get("memoryGb")).append(" GB, ").append(machine.get("jdk")).append(", ")
        .append(machine.get("os")).append(".\n\n");
    md.append("Data: ").append(String.join("; ", datasets.values().stream().map(Object::toString).toList()))
        .append(". S3 is s3proxy in its own process on 127.0.0.1 with ").append(latencyMs)
        .append(" ms added to every GET.\n\n");
    md.append("Run: `").append(run.get("command")).append("`, started ").append(run.get("started"))
        .append(String.format(Locale.ROOT, ", %.1f min; load average %.2f before, %.2f after. ",
            (Double) run.get("minutes"), (Double) run.get("loadAverageBefore"), (Double) run.get("loadAverageAfter")))
        .append("Every configuration runs in a fresh JVM (-Xmx4g) per repetition; repetitions are interleaved; ")
        .append("each trial runs ").append(run.get("warmupSeconds")).append(" s before it measures (JIT warm-up) ")
        .append("and measures for ").append(run.get("seconds")).append(" s. ")
        .append("Cells are median (min–max) over the repetitions.\n\n");
    md.append("| configuration | img/s | loader CPU (core-ms / img) | S3 server CPU (core-ms / img) | first batch (ms) "
        + "| wait p50 / p99 (ms) | peak heap (MB) | peak RSS (MB) | GC (ms) |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Compare.Config c : configs) {
      String id = c.id();
      String wait = summary(id, "waitP50Ms") != null
          ? cell(id, "waitP50Ms", "%.1f") + " / " + cell(id, "waitP99Ms", "%.1f")
          : summary(id, "getP50Ms") != null
              ? "GET " + cell(id, "getP50Ms", "%.1f") + " / " + cell(id, "getP99Ms", "%.1f") : "–";
      String first = c.id().startsWith("raw-get") || c.id().startsWith("decode") ? "–"
          : cell(id, "timeToFirstBatchMs", "%.0f");
      md.append("| ").append(c.label()).append(" | ").append(cell(id, "imgPerSec", "%.0f")).append(" | ")
          .append(cell(id, "cpuMsPerImage", "%.2f")).append(" | ").append(cell(id, "serverCpuMsPerImage", "%.2f"))
          .append(" | ").append(first).append(" | ").append(wait).append(" | ").append(cell(id, "peakHeapMb", "%.0f"))
          .append(" | ").append(cell(id, "rssMb", "%.0f")).append(" | ").append(cell(id, "gcMs", "%.0f"))
          .append(" |\n");
    }
    md.append("\nRatios of median img/s: ");
    md.append(String.format(Locale.ROOT, "Sluice S3 / in memory **%s**; Sluice S3 / local files %s; "
            + "Sluice S3 / stock DL4J **%s**; Sluice in memory / stock DL4J %s; Sluice S3 / naive %s; "
            + "Sluice in memory / fastest decode ceiling (%s) %s.\n\n",
        fmt(ratios.get("s3OverMemory")), fmt(ratios.get("s3OverLocal")), fmt(ratios.get("s3OverStockDl4j")),
        fmt(ratios.get("memoryOverStockDl4j")), fmt(ratios.get("s3OverNaive")), ratios.get("fastestDecodeCeiling"),
        fmt(ratios.get("memoryOverDecodeCeiling"))));
    md.append(String.format(Locale.ROOT, "Targets: Sluice in memory >= 0.95 x the C chain ceiling (%s): %s; "
            + "loader CPU per image from S3 <= 1.10 x in memory (%s): %s; prefix cache, epoch >= 2, >= 3 x the C "
            + "ceiling (%s): %s; Sluice from S3 >= 5 x stock DL4J (%s): %s; consumer wait p99 < 5 ms at 100 ms per "
            + "batch: %s, at 200 ms: %s.%n%n",
        fmt(ratios.get("memoryOverCCeiling")), yesNo(targets.get("memoryOverCCeilingAtLeast0.95")),
        fmt(ratios.get("s3CpuOverMemoryCpu")), yesNo(targets.get("s3CpuOverMemoryCpuAtMost1.10")),
        fmt(ratios.get("prefixOverCCeiling")), yesNo(targets.get("prefixOverCCeilingAtLeast3")),
        fmt(ratios.get("s3OverStockDl4j")), yesNo(targets.get("s3OverStockDl4jAtLeast5")),
        yesNo(targets.get("waitP99Below5MsAt100MsPerBatch")), yesNo(targets.get("waitP99Below5MsAt200MsPerBatch"))));
    Summary server = summary("sluice-s3", "s3ServerCpuSeconds");
    Summary jvm = summary("sluice-s3", "jvmSeconds");
    Summary gets = summary("sluice-s3", "gets");
    if (server != null && jvm != null) {
      md.append(String.format(Locale.ROOT, "The S3 server process shares the 2 cores: during a Sluice S3 trial it "
          + "used %.1f CPU s of the trial's %.1f s (median)", server.median, jvm.median));
      if (gets != null && gets.median > 0) {
        md.append(String.format(Locale.ROOT, ", %.2f ms of CPU per GET", server.median * 1000 / gets.median));
      }
      md.append(".\n\n");
    }
    Summary decode = summary("decode-imageio-2t", "imgPerSec");
    if (server != null && gets != null && gets.median > 0 && decode != null) {
      double serverMs = server.median * 1000 / gets.median;
      double decodeMs = 2000 / decode.median; // core-milliseconds per image at the 2-thread decode ceiling
      md.append(String.format(Locale.ROOT, "CPU budget on these 2 cores: the W1 chain alone costs %.2f core-ms per "
              + "image (decode ceiling, 2 threads) and the S3 server %.2f core-ms per GET, so no loader can deliver "
              + "more than %.0f img/s from this S3 server on this machine even if its own network client cost "
              + "nothing.%n%n", decodeMs, serverMs, 2000 / (decodeMs + serverMs)));
    }
    double other = 0;
    double wall = 0;
    for (List<JsonNode> reps : results.values()) {
      for (JsonNode r : reps) {
        other += r.path("otherCpuSeconds").asDouble();
        wall += r.path("jvmSeconds").asDouble();
      }
    }
    if (wall > 0) {
      md.append(String.format(Locale.ROOT, "Noise: other processes on the machine (other builds and benchmarks) used "
          + "%.0f CPU s during the %.0f s of trials, i.e. %.2f of the %s cores on average.%n%n", other, wall,
          other / wall, machine.get("cores")));
    }
    Object failed = run.get("failedTrials");
    if (failed instanceof List<?> list && !list.isEmpty()) {
      md.append("Failed trials, each run once more (their logs are under the work directory): ");
      md.append(String.join("; ", list.stream().map(Object::toString).toList()));
      md.append(". A trial is killed when it outlives its warm-up and measurement by two minutes.\n\n");
    }
    md.append("How the pipelines differ:\n\n");
    for (Compare.Config c : configs) {
      List<JsonNode> reps = results.getOrDefault(c.id(), List.of());
      if (!reps.isEmpty() && (c.id().equals("sluice-s3") || c.id().equals("dl4j-local") || c.id().equals("naive-s3"))) {
        md.append("- ").append(c.label()).append(": ").append(reps.get(0).path("chain").asText());
        if (reps.get(0).has("batchShape")) {
          md.append("; batches ").append(reps.get(0).path("batchShape").asText());
        }
        md.append(".\n");
      }
    }
    md.append("- Stock DL4J's augmentation is not RandomResizedCrop: DataVec has no random-scale, random-aspect "
        + "crop, so it crops a fixed 300x300 window at a random place (48% of the image area, aspect 1) and "
        + "resizes that to 224x224; Sluice samples 8-100% of the area and aspect 3/4-4/3 per image. Both flip "
        + "horizontally with p = 0.5, give RGB NCHW float32 [64, 3, 224, 224] normalised with the ImageNet mean "
        + "and std.\n\n");
    if (!sweep.isEmpty()) {
      md.append("Consumer model: Sluice from S3 with a stand-in trainer that sleeps a fixed time per batch "
          + "(one run each):\n\n");
      md.append("| trainer ms / batch | trainer alone (img/s) | delivered img/s | data wait share | wait p50 / p99 "
          + "(ms) |\n|---:|---:|---:|---:|---:|\n");
      for (Map<String, Object> row : sweep) {
        Object ceiling = row.get("trainerCeilingImgPerSec");
        md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.1f%% | %.1f / %.1f |%n",
            (Integer) row.get("consumerMsPerBatch"),
            ceiling == null ? "∞" : String.format(Locale.ROOT, "%.0f", (Double) ceiling),
            (Double) row.get("imgPerSec"), (Double) row.get("waitShare") * 100, (Double) row.get("waitP50Ms"),
            (Double) row.get("waitP99Ms")));
      }
      md.append('\n');
    }
    md.append("![img/s per configuration](latest.png)\n");
    return md.toString();
  }

  private static String fmt(Object v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.2f", (Double) v);
  }

  private static String yesNo(Object v) {
    return v == null ? "not measured" : (Boolean) v ? "**met**" : "**not met**";
  }

  // -------------------------------------------------------------------------------------------- chart

  private BufferedImage chart() {
    List<Compare.Config> shown = configs.stream().filter(c -> summary(c.id(), "imgPerSec") != null).toList();
    int rowHeight = 34;
    int left = 330;
    int right = 120;
    int top = 92;
    int bottom = 100;
    int width = 1400;
    int plotWidth = width - left - right;
    int height = top + bottom + Math.max(1, shown.size()) * rowHeight;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    double max = 0;
    for (Compare.Config c : shown) {
      max = Math.max(max, summary(c.id(), "imgPerSec").max);
    }
    max = Math.max(max, 1100);
    double step = niceStep(max / 6);
    double axisMax = Math.ceil(max * 1.05 / step) * step;
    Font title = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    g.setColor(new Color(30, 30, 30));
    g.setFont(title);
    g.drawString("Sluice vs baselines: W1 (500x375 JPEG, ~110 KB) -> 224x224 NCHW float32, batch 64", left - 300, 32);
    g.setFont(small);
    g.setColor(new Color(90, 90, 90));
    g.drawString(String.format(Locale.ROOT, "%s cores, %s GB, %s. Bars: median img/s; whiskers: min-max of %s "
            + "repetitions. S3 = s3proxy in its own process, %d ms per GET.", machine.get("cores"),
        machine.get("memoryGb"), String.valueOf(machine.get("jdk")).replaceAll("^\\S+ ", ""),
        results.values().stream().mapToInt(List::size).max().orElse(0), latencyMs), left - 300, 56);
    // grid
    g.setFont(small);
    FontMetrics fm = g.getFontMetrics();
    for (double v = 0; v <= axisMax + 1e-9; v += step) {
      int x = left + (int) Math.round(v / axisMax * plotWidth);
      g.setColor(new Color(228, 228, 228));
      g.drawLine(x, top - 6, x, height - bottom);
      g.setColor(new Color(90, 90, 90));
      String s = String.format(Locale.ROOT, "%,.0f", v);
      g.drawString(s, x - fm.stringWidth(s) / 2, height - bottom + 18);
    }
    g.drawString("images per second (steady state)", left + plotWidth / 2 - 100, height - bottom + 42);
    // target line
    int targetX = left + (int) Math.round(1100 / axisMax * plotWidth);
    g.setColor(new Color(200, 40, 40));
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
    g.drawLine(targetX, top - 14, targetX, height - bottom);
    g.drawString("target 1,100 img/s", targetX + 5, top - 16);
    g.setStroke(new BasicStroke(1f));
    Map<String, Color> colors = Map.of("sluice", new Color(46, 110, 190), "sluice-w2", new Color(120, 170, 225),
        "baseline", new Color(230, 126, 34), "ceiling", new Color(140, 140, 140));
    int y = top;
    for (Compare.Config c : shown) {
      Summary s = summary(c.id(), "imgPerSec");
      int barTop = y + 6;
      int barHeight = rowHeight - 12;
      int barWidth = (int) Math.round(s.median / axisMax * plotWidth);
      g.setColor(colors.getOrDefault(c.group(), Color.DARK_GRAY));
      g.fillRect(left, barTop, Math.max(1, barWidth), barHeight);
      int minX = left + (int) Math.round(s.min / axisMax * plotWidth);
      int maxX = left + (int) Math.round(s.max / axisMax * plotWidth);
      int mid = barTop + barHeight / 2;
      g.setColor(new Color(20, 20, 20));
      g.setStroke(new BasicStroke(1.6f));
      g.drawLine(minX, mid, maxX, mid);
      g.drawLine(minX, mid - 6, minX, mid + 6);
      g.drawLine(maxX, mid - 6, maxX, mid + 6);
      g.setStroke(new BasicStroke(1f));
      g.setFont(label);
      FontMetrics lm = g.getFontMetrics();
      g.setColor(new Color(30, 30, 30));
      g.drawString(c.label(), left - 12 - lm.stringWidth(c.label()), mid + 5);
      g.setFont(small);
      g.drawString(String.format(Locale.ROOT, "%,.0f", s.median), Math.max(maxX, left + barWidth) + 8, mid + 5);
      y += rowHeight;
    }
    g.setColor(new Color(120, 120, 120));
    g.drawLine(left, top - 6, left, height - bottom);
    // legend
    int lx = left;
    int ly = height - 18;
    g.setFont(small);
    for (String[] entry : new String[][] {{"sluice", "Sluice (W1)"}, {"sluice-w2", "Sluice (W2, 224x224 ~25 KB)"}, {"baseline", "baselines (W1)"}, {"ceiling",
        "ceilings (W1, no loader)"}}) {
      g.setColor(colors.get(entry[0]));
      g.fillRect(lx, ly - 11, 14, 14);
      g.setColor(new Color(30, 30, 30));
      g.drawString(entry[1], lx + 20, ly + 1);
      lx += 40 + g.getFontMetrics().stringWidth(entry[1]);
    }
    g.dispose();
    return image;
  }

  private static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * magnitude >= raw) {
        return m * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
