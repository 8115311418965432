package io.sluice.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.swing.Icon;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.MinMaxCategoryRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

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
      for (Map<String, Object> row : sweep) { // the first sweep configuration's point
        if (p99 == null && Integer.valueOf(ms).equals(row.get("consumerMsPerBatch"))) {
          p99 = (Double) row.get("waitP99Ms");
        }
      }
      targets.put("waitP99Below5MsAt" + ms + "MsPerBatch", p99 == null ? null : p99 < 5);
    }
    json.put("targets", targets);
    json.put("consumerSweep", sweep);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("latest.json").toFile(), json);
    Files.writeString(out.resolve("latest.md"), markdown(ratios, targets));
    writePng(chart(), (int) configs.stream().filter(c -> summary(c.id(), "imgPerSec") != null).count(),
        out.resolve("latest.png"));
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
        .append(" ms added to every GET (").append(S3ServerMain.DESCRIPTION).append("), warmed up before the first "
        + "trial: ").append(run.get("s3ServerWarmUp")).append(".\n\n");
    md.append("Run: `").append(run.get("command")).append("`, started ").append(run.get("started"))
        .append(String.format(Locale.ROOT, ", %.1f min; load average %.2f before, %.2f after. ",
            (Double) run.get("minutes"), (Double) run.get("loadAverageBefore"), (Double) run.get("loadAverageAfter")))
        .append("Every configuration runs in a fresh JVM (-Xmx4g) per repetition; repetitions are interleaved; ")
        .append("each trial runs ").append(run.get("warmupSeconds")).append(" s before it measures (JIT warm-up; ")
        .append(run.get("s3WarmupSeconds")).append(" s for Sluice from S3 and the consumer sweep) ")
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
      md.append(String.format(Locale.ROOT, "The S3 server process shares the 2 cores: during a whole Sluice S3 "
          + "trial (its JVM's start, connections, warm-up and measurement) it used %.1f CPU s of the trial's %.1f s "
          + "(median)", server.median, jvm.median));
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
        if (c.id().startsWith("sluice") && reps.get(0).has("resizer")) {
          md.append("; bilinear resize by ").append(reps.get(0).path("resizer").asText())
              .append(" (configurations marked \"Java resize\" use the Java implementation; the pixels are the same)");
        }
        if (c.id().startsWith("sluice") && reps.get(0).has("jpegAccelerator")) {
          md.append("; JPEG windows decoded by ").append(reps.get(0).path("jpegAccelerator").asText())
              .append(" in every configuration, the chain alone included, but the one marked \"javax.imageio alone\"; the "
              + "pixels are the same");
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
      md.append("Consumer model: the configurations below with a stand-in trainer that sleeps a fixed time per "
          + "batch (one run each; n = batches measured after the warm-up, the p99 is over them; the targets go by "
          + "the first configuration):\n\n");
      md.append("| configuration | trainer ms / batch | trainer alone (img/s) | delivered img/s | data wait share | "
          + "wait p50 / p99 (ms) | n | measured s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Map<String, Object> row : sweep) {
        Object ceiling = row.get("trainerCeilingImgPerSec");
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.1f%% | %.1f / %.1f | %d | %.0f |%n",
            row.get("configLabel"), (Integer) row.get("consumerMsPerBatch"),
            ceiling == null ? "∞" : String.format(Locale.ROOT, "%.0f", (Double) ceiling),
            (Double) row.get("imgPerSec"), (Double) row.get("waitShare") * 100, (Double) row.get("waitP50Ms"),
            (Double) row.get("waitP99Ms"), (Integer) row.get("measuredBatches"),
            (Double) row.get("measuredSeconds")));
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

  /** One bar of the chart: a configuration's median img/s and the range of its repetitions. */
  record Bar(String label, String group, double median, double min, double max) {}

  private static final Map<String, Color> GROUP_COLOURS = new LinkedHashMap<>();

  static {
    GROUP_COLOURS.put("sluice", new Color(46, 110, 190));
    GROUP_COLOURS.put("sluice-w2", new Color(120, 170, 225));
    GROUP_COLOURS.put("baseline", new Color(230, 126, 34));
    GROUP_COLOURS.put("ceiling", new Color(140, 140, 140));
  }

  private static final Map<String, String> GROUP_NAMES = Map.of("sluice", "Sluice (W1)", "sluice-w2",
      "Sluice (W2, 224x224 ~25 KB)", "baseline", "baselines (W1)", "ceiling", "ceilings (W1, no loader)");

  private JFreeChart chart() {
    List<Bar> bars = new ArrayList<>();
    for (Compare.Config c : configs) {
      Summary s = summary(c.id(), "imgPerSec");
      if (s != null) {
        bars.add(new Bar(c.label(), c.group(), s.median, s.min, s.max));
      }
    }
    String subtitle = String.format(Locale.ROOT, "%s cores, %s GB, %s. Bars: median img/s; whiskers: min-max of %s "
            + "repetitions. S3 = s3proxy in its own process, %d ms per GET.", machine.get("cores"),
        machine.get("memoryGb"), String.valueOf(machine.get("jdk")).replaceAll("^\\S+ ", ""),
        results.values().stream().mapToInt(List::size).max().orElse(0), latencyMs);
    return chart("Sluice vs baselines: W1 (500x375 JPEG, ~110 KB) -> 224x224 NCHW float32, batch 64", subtitle,
        bars, 1100);
  }

  /**
   * A horizontal bar chart (JFreeChart) of img/s per configuration, coloured by group, with min-max whiskers and
   * the target as a dashed line.
   */
  static JFreeChart chart(String title, String subtitle, List<Bar> bars, double target) {
    DefaultCategoryDataset medians = new DefaultCategoryDataset();
    DefaultCategoryDataset ranges = new DefaultCategoryDataset();
    for (Bar b : bars) {
      medians.addValue(b.median(), "median", b.label());
      ranges.addValue(b.min(), "min", b.label());
      ranges.addValue(b.max(), "max", b.label());
    }
    BarRenderer renderer = new BarRenderer() {
      private static final long serialVersionUID = 1L;

      @Override
      public Paint getItemPaint(int row, int column) {
        return GROUP_COLOURS.getOrDefault(bars.get(column).group(), Color.DARK_GRAY);
      }
    };
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0);
    renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
        new java.text.DecimalFormat("#,##0")));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3,
        TextAnchor.CENTER_LEFT));
    renderer.setItemLabelAnchorOffset(40);
    NumberAxis axis = new NumberAxis("images per second (steady state)");
    double max = Math.max(target, bars.stream().mapToDouble(Bar::max).max().orElse(target));
    axis.setRange(0, max * 1.12);
    CategoryPlot plot = new CategoryPlot(medians, new CategoryAxis(), axis, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    MinMaxCategoryRenderer whiskers = new MinMaxCategoryRenderer();
    whiskers.setDrawLines(false);
    whiskers.setGroupStroke(new BasicStroke(1.6f));
    whiskers.setGroupPaint(new Color(20, 20, 20));
    whiskers.setMaxIcon(new Whisker());
    whiskers.setMinIcon(new Whisker());
    whiskers.setObjectIcon(new Whisker());
    plot.setDataset(1, ranges);
    plot.setRenderer(1, whiskers);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    ValueMarker marker = new ValueMarker(target, new Color(200, 40, 40), new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
    marker.setLabel(String.format(Locale.ROOT, "target %,.0f img/s", target));
    marker.setLabelPaint(new Color(200, 40, 40));
    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    plot.addRangeMarker(marker);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(210, 210, 210));
    LegendItemCollection legend = new LegendItemCollection();
    GROUP_COLOURS.forEach((group, colour) -> legend.add(new LegendItem(GROUP_NAMES.get(group), colour)));
    plot.setFixedLegendItems(legend);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
    chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  static void writePng(JFreeChart chart, int bars, Path file) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1400, 190 + Math.max(1, bars) * 34);
  }

  /** The end mark of a whisker: a short line across the bar. */
  private static final class Whisker implements Icon {
    @Override
    public void paintIcon(Component c, Graphics g, int x, int y) {
      g.fillRect(x + 5, y, 2, 12);
    }

    @Override
    public int getIconWidth() {
      return 12;
    }

    @Override
    public int getIconHeight() {
      return 12;
    }
  }
}
