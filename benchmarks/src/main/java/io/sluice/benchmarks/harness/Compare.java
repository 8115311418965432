package io.sluice.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The comparison harness: Sluice against its baselines on the same images, in one run.
 *
 * <pre>
 * cd /work/main
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.harness.Compare --images 2000 --reps 3
 * </pre>
 *
 * <p>It writes the W1 and W2 images ({@link Datasets}) under {@code --work} (default {@code target/sluice-compare}),
 * starts s3proxy in a process of its own with 30 ms injected on every GET ({@link S3ServerMain}), uploads the images,
 * warms the server up ({@code --server-warmup-gets} GETs over every object, then until its JIT settles), then runs
 * each configuration in a fresh JVM ({@link Trial}), the repetitions interleaved (rep 1: a, b, c, ...;
 * rep 2: a, b, c, ...):
 *
 * <ol type="a">
 *   <li>Sluice from the S3 server (a2. the same over the CRT HTTP client); b. from local files; c. from memory (W1
 *       chain, batch 64, defaults otherwise);
 *   <li value="4">stock DL4J: ImageRecordReader + NativeImageLoader + RecordReaderDataSetIterator in an
 *       AsyncDataSetIterator, from local files;
 *   <li>a naive loop: one S3 GET at a time, then decode and transform;
 *   <li>the raw GET ceiling at 1, 8, 32, 64, 128 requests in flight, no decode;
 *   <li>the decode ceiling: the chain alone on bytes in memory, per decoder, on 1 and 2 threads;
 * </ol>
 *
 * <p>plus Sluice on W2 (S3 and memory) and, once, a consumer sweep: Sluice from S3 with a stand-in trainer that
 * sleeps 0, 25, 50, 100, 200 ms per batch, each point measured for {@code --seconds} and at least
 * {@code --sweep-min-batches} batches (so that its p99 is not simply its slowest batch). Results go to
 * {@code --out} (default {@code benchmarks/results}):
 * {@code latest.json}, {@code latest.md} and {@code latest.png}. {@code --help} lists every option.
 */
public final class Compare {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Options options;
  private final Path java;
  /** The configurations that take {@code --s3-warmup-seconds}. */
  static final List<String> S3_STEADY = List.of("sluice-s3", "sluice-s3-netty", "sluice-s3-prefetch6", "sluice-s3-sdk",
      "w2-sluice-s3");
  private S3ServerProcess server;
  private S3ServerProcess.WarmUp serverWarmUp;

  private Compare(Options options) {
    this.options = options;
    this.java = Path.of(options.jvm == null ? System.getProperty("java.home") : options.jvm.toString(), "bin", "java");
  }

  /** Runs the comparison; see the class comment. */
  public static void main(String[] args) throws Exception {
    QuietLogging.apply();
    Options options = Options.parse(args);
    if (options == null) {
      return;
    }
    new Compare(options).run(args);
    System.exit(0);
  }

  /** The command line. */
  record Options(int images, int reps, Path work, Path out, int naiveImages, double warmupSeconds, double seconds,
      long latencyMs, List<Integer> sweep, List<Integer> inFlight, String childXmx, boolean w2, String only,
      List<String> childJvmArgs, int serverWarmupGets, double s3WarmupSeconds, Path jvm, String sweepConfig,
      int sweepMinBatches) {

    /**
     * Reads the command line (picocli), or prints the help and returns {@code null} for {@code --help}.
     *
     * @throws IllegalArgumentException naming the option that is unknown or has a bad value
     */
    static Options parse(String[] args) {
      Flags f = new Flags();
      CommandLine line = new CommandLine(f);
      try {
        line.parseArgs(args);
      } catch (ParameterException e) {
        throw new IllegalArgumentException(e.getMessage() + "; try --help", e);
      }
      if (line.isUsageHelpRequested()) {
        line.usage(System.out);
        return null;
      }
      return new Options(f.images, f.reps, f.work.toAbsolutePath(), f.out.toAbsolutePath(), f.naiveImages,
          f.warmupSeconds, f.seconds, f.latencyMs, f.sweep.equals("none") ? List.of() : ints(f.sweep),
          ints(f.inFlight), f.childXmx, !f.noW2, f.only,
          f.childJvmArgs == null ? List.of() : List.of(f.childJvmArgs.trim().split("\\s+")), f.serverWarmupGets,
          f.s3WarmupSeconds, f.jvm == null ? null : f.jvm.toAbsolutePath(), f.sweepConfig, f.sweepMinBatches);
    }

    private static List<Integer> ints(String list) {
      List<Integer> out = new ArrayList<>();
      for (String s : list.split(",")) {
        try {
          out.add(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + s + "' in '" + list + "' is not a whole number; try --help");
        }
      }
      return out;
    }
  }

  /** The flags as picocli reads them. */
  @Command(name = "Compare", sortOptions = false,
      description = "Compare: Sluice against its baselines on the same images, in one run.")
  static final class Flags {
    @Option(names = "--images", paramLabel = "N", description = "W1 (and W2) images to generate and read "
        + "(default 2000)")
    int images = 2000;
    @Option(names = "--reps", paramLabel = "N", description = "repetitions of every configuration, interleaved "
        + "(default 3)")
    int reps = 3;
    @Option(names = "--warmup-seconds", paramLabel = "S", description = "seconds every trial runs before it "
        + "measures (JIT warm-up; default 15)")
    double warmupSeconds = 15;
    @Option(names = "--s3-warmup-seconds", paramLabel = "S", description = "the warm-up of the Sluice-from-S3 "
        + "trials (and the consumer sweep, which runs one): the AWS SDK's and the HTTP client's code is still being "
        + "compiled well after 15 s, and their CPU per image enters a target (default 40)")
    double s3WarmupSeconds = 40;
    @Option(names = "--naive-images", paramLabel = "N", description = "images the naive sequential loop reads "
        + "(default 200)")
    int naiveImages = 200;
    @Option(names = "--seconds", paramLabel = "S", description = "measured seconds of every trial but the naive "
        + "loop (default 15)")
    double seconds = 15;
    @Option(names = "--latency-ms", paramLabel = "N", description = "GET latency the S3 server adds (default 30)")
    long latencyMs = 30;
    @Option(names = "--server-warmup-gets", paramLabel = "N", description = "GETs that warm the S3 server up "
        + "(its JIT) before the first trial, spread over every bucket's objects (default 20000; 0: none)")
    int serverWarmupGets = 20_000;
    @Option(names = "--in-flight", paramLabel = "LIST", description = "raw GET concurrencies (default "
        + "1,8,32,64,128)")
    String inFlight = "1,8,32,64,128";
    @Option(names = "--sweep", paramLabel = "LIST", description = "consumer ms per batch for the consumer sweep "
        + "(default 0,25,50,100,200; 'none')")
    String sweep = "0,25,50,100,200";
    @Option(names = "--child-xmx", paramLabel = "SIZE", description = "-Xmx of every measured JVM (default 4g)")
    String childXmx = "4g";
    @Option(names = "--child-jvm-args", paramLabel = "\"A B\"", description = "more options for every measured "
        + "JVM (e.g. a JFR recording to profile)")
    String childJvmArgs;
    @Option(names = "--sweep-config", paramLabel = "IDS", description = "the configurations the consumer sweep "
        + "runs, comma-separated (default sluice-s3; e.g. sluice-s3,sluice-memory); the targets go by the first")
    String sweepConfig = "sluice-s3";
    @Option(names = "--sweep-min-batches", paramLabel = "N", description = "batches every consumer sweep point "
        + "measures at least, however long that takes beyond --seconds (default 200: at 200 ms per batch 15 s are "
        + "75, and the p99 of fewer than 100 is their maximum)")
    int sweepMinBatches = 200;
    @Option(names = "--jvm", paramLabel = "JAVA_HOME", description = "the JDK every measured JVM runs on "
        + "(default: the one running this)")
    Path jvm;
    @Option(names = "--no-w2", description = "skip the W2 configurations")
    boolean noW2;
    @Option(names = "--only", paramLabel = "IDS", description = "run only these configuration ids, "
        + "comma-separated (e.g. sluice-s3,dl4j-local)")
    String only = "";
    @Option(names = "--work", paramLabel = "DIR", description = "where images and logs go (default "
        + "target/sluice-compare)")
    Path work = Path.of("target/sluice-compare");
    @Option(names = "--out", paramLabel = "DIR", description = "where latest.json/md/png go (default "
        + "benchmarks/results)")
    Path out = Path.of("benchmarks/results");
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;
  }

  /** One configuration: an id, a label for the table and chart, a group for the chart colour, the trial's args. */
  record Config(String id, String label, String group, List<String> args) {}

  private List<Config> configs() {
    Path root = dataRoot();
    String n = Integer.toString(options.images);
    List<String> timing = List.of("--warmup-seconds", Double.toString(options.warmupSeconds), "--seconds",
        Double.toString(options.seconds));
    List<String> s3 = List.of("--endpoint", server.endpoint, "--access-key", server.accessKey, "--secret-key",
        server.secretKey, "--region", server.region, "--server-pid", Long.toString(server.pid()));
    List<Config> all = new ArrayList<>();
    all.add(new Config("sluice-s3", "a. Sluice, S3 (30 ms GET)", "sluice",
        concat(List.of("--config", "sluice", "--store", "s3", "--root", root.toString(), "--bucket", "bench-w1", "--images",
            n), s3)));
    all.add(new Config("sluice-s3-netty", "a2. Sluice, S3 (30 ms GET), Netty HTTP client", "sluice",
        concat(List.of("--config", "sluice", "--store", "s3", "--http-client", "netty", "--root", root.toString(),
            "--bucket", "bench-w1", "--images", n), s3)));
    all.add(new Config("sluice-s3-prefetch6", "a3. Sluice, S3 (30 ms GET), 6 batches prefetched", "sluice",
        concat(List.of("--config", "sluice", "--store", "s3", "--prefetch", "6", "--root", root.toString(),
            "--bucket", "bench-w1", "--images", n), s3)));
    all.add(new Config("sluice-s3-sdk", "a4. Sluice, S3 (30 ms GET), GETs through the SDK's S3 client", "sluice",
        concat(List.of("--config", "sluice", "--store", "s3", "--get-path", "sdk", "--root", root.toString(),
            "--bucket", "bench-w1", "--images", n), s3)));
    all.add(new Config("sluice-local", "b. Sluice, local files", "sluice", List.of("--config", "sluice", "--store",
        "local", "--root", root.toString(), "--bucket", "bench-w1", "--images", n)));
    all.add(new Config("sluice-memory", "c. Sluice, in memory", "sluice", List.of("--config", "sluice", "--store",
        "memory", "--root", root.toString(), "--bucket", "bench-w1", "--images", n)));
    all.add(new Config("sluice-memory-java", "c2. Sluice, in memory, Java resize (no OpenCV)", "sluice",
        List.of("--config", "sluice", "--store", "memory", "--resize", "java", "--root", root.toString(), "--bucket",
            "bench-w1", "--images", n)));
    all.add(new Config("sluice-memory-imageio", "c3. Sluice, in memory, JPEG through javax.imageio alone", "sluice",
        List.of("--config", "sluice", "--store", "memory", "--jpeg", "imageio", "--root", root.toString(),
            "--bucket", "bench-w1", "--images", n)));
    all.add(new Config("dl4j-local", "d. stock DL4J, local files", "baseline", List.of("--config", "dl4j", "--root",
        root.toString(), "--bucket", "bench-w1", "--images", n)));
    all.add(new Config("naive-s3", "e. naive GET-then-decode, S3", "baseline",
        concat(List.of("--config", "naive", "--bucket", "bench-w1", "--images",
            Integer.toString(Math.min(options.naiveImages, options.images))), s3)));
    for (int inFlight : options.inFlight) {
      all.add(new Config("raw-get-" + inFlight, "f. raw GET, " + inFlight + " in flight", "ceiling",
          concat(List.of("--config", "raw-get", "--bucket", "bench-w1", "--images", n, "--in-flight",
              Integer.toString(inFlight)), s3)));
    }
    for (String decoder : List.of("IMAGE_IO", "OPENCV")) {
      for (int threads : List.of(1, 2)) {
        String name = decoder.equals("IMAGE_IO") ? "imageio" : "opencv";
        all.add(new Config("decode-" + name + "-" + threads + "t",
            "g. decode ceiling, " + name + ", " + threads + (threads == 1 ? " thread" : " threads"), "ceiling",
            List.of("--config", "decode", "--root", root.toString(), "--bucket", "bench-w1", "--images", n, "--threads",
                Integer.toString(threads), "--decoder", decoder)));
      }
    }
    all.add(new Config("sluice-prefix", "h. Sluice, prefix cache, epoch >= 2", "sluice",
        concat(List.of("--config", "sluice", "--store", "s3", "--prefix-cache", "true", "--root", root.toString(),
            "--bucket", "bench-w1", "--images", n), s3)));
    all.add(new Config("sluice-prefix-java", "h2. Sluice, prefix cache, epoch >= 2, Java resize (no OpenCV)", "sluice",
        concat(List.of("--config", "sluice", "--store", "s3", "--prefix-cache", "true", "--resize", "java", "--root",
            root.toString(), "--bucket", "bench-w1", "--images", n), s3)));
    all.add(new Config("c-ceiling-2t", "i. libjpeg-turbo C chain, 2 threads", "ceiling", List.of("--config",
        "c-ceiling", "--root", root.toString(), "--bucket", "bench-w1", "--images", n, "--threads", "2")));
    if (options.w2) {
      all.add(new Config("w2-sluice-s3", "W2: Sluice, S3 (30 ms GET)", "sluice-w2",
          concat(List.of("--config", "sluice", "--store", "s3", "--root", root.toString(), "--bucket", "bench-w2",
              "--images", n), s3)));
      all.add(new Config("w2-sluice-memory", "W2: Sluice, in memory", "sluice-w2", List.of("--config", "sluice",
          "--store", "memory", "--root", root.toString(), "--bucket", "bench-w2", "--images", n)));
    }
    if (!options.only.isBlank()) {
      List<String> ids = List.of(options.only.split(","));
      all.removeIf(c -> !ids.contains(c.id));
    }
    // every trial warms up and measures for the same time (the naive loop reads a fixed number of images instead),
    // but the Sluice-from-S3 trials warm up longer: the SDK's request path is still being compiled after 15 s
    List<String> s3Timing = List.of("--warmup-seconds", Double.toString(options.s3WarmupSeconds), "--seconds",
        Double.toString(options.seconds));
    all.replaceAll(c -> new Config(c.id, c.label, c.group, concat(c.args, S3_STEADY.contains(c.id) ? s3Timing
        : timing)));
    return all;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private Path dataRoot() {
    return options.work.resolve("data-" + options.images);
  }

  private void run(String[] arguments) throws Exception {
    Instant started = Instant.now();
    Map<String, Object> machine = Machine.describe();
    if (options.jvm != null) {
      machine.put("jdk", Machine.jdk(java));
    }
    double loadBefore = Machine.loadAverage();
    System.out.println("Machine: " + machine);
    Files.createDirectories(options.work.resolve("logs"));
    long t = System.nanoTime();
    long w1Bytes = Datasets.W1.writeTo(dataRoot(), "bench-w1", options.images);
    long w2Bytes = options.w2 ? Datasets.W2.writeTo(dataRoot(), "bench-w2", options.images) : 0;
    Map<String, Object> datasets = new LinkedHashMap<>();
    datasets.put("W1", Datasets.W1.describe(options.images, w1Bytes));
    if (options.w2) {
      datasets.put("W2", Datasets.W2.describe(options.images, w2Bytes));
    }
    System.out.printf(Locale.ROOT, "Datasets ready in %.1f s: %s%n", (System.nanoTime() - t) / 1e9, datasets.values());
    startServer();
    List<Map<String, Object>> sweep = new ArrayList<>();
    Map<String, List<JsonNode>> results = new LinkedHashMap<>();
    List<Map<String, Object>> failures = new ArrayList<>();
    List<Config> configs;
    try {
      t = System.nanoTime();
      server.upload(dataRoot().resolve("bench-w1"), "bench-w1", options.images);
      if (options.w2) {
        server.upload(dataRoot().resolve("bench-w2"), "bench-w2", options.images);
      }
      System.out.printf(Locale.ROOT, "Uploaded to %s in %.1f s%n", server.endpoint, (System.nanoTime() - t) / 1e9);
      if (options.serverWarmupGets > 0) {
        serverWarmUp = server.warmUp(options.w2 ? List.of("bench-w1", "bench-w2") : List.of("bench-w1"),
            options.images, options.serverWarmupGets, 64);
        System.out.println("S3 server warmed up: " + serverWarmUp);
      }
      configs = configs();
      for (Config config : configs) {
        results.put(config.id, new ArrayList<>());
      }
      for (int rep = 1; rep <= options.reps; rep++) {
        for (Config config : configs) {
          JsonNode result = runTrial(config, rep, config.args);
          if (result == null) { // a failed or hung trial is reported and run once more
            failures.add(Map.of("config", config.id, "rep", rep, "log", "rep" + rep + "-" + config.id + ".log"));
            result = runTrial(config, rep, config.args, "-retry");
          }
          if (result != null) {
            results.get(config.id).add(result);
          }
        }
      }
      for (String sweepConfig : options.sweepConfig.split(",")) {
        for (int ms : options.sweep) {
          if (!options.only.isBlank() && !List.of(options.only.split(",")).contains(sweepConfig)) {
            break;
          }
          Config base = configsById(configs, sweepConfig);
          Config point = new Config("sweep-" + sweepConfig + "-" + ms, "consumer " + ms + " ms/batch", "sweep",
              concat(base.args, List.of("--consumer-ms", Integer.toString(ms), "--min-batches",
                  Integer.toString(options.sweepMinBatches))));
          JsonNode result = runTrial(point, 1, point.args);
          if (result == null) {
            continue;
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("config", sweepConfig);
          row.put("configLabel", base.label());
          row.put("consumerMsPerBatch", ms);
          row.put("trainerCeilingImgPerSec", ms == 0 ? null : 64_000.0 / ms);
          for (String key : List.of("imgPerSec", "waitShare", "waitP50Ms", "waitP99Ms")) {
            row.put(key, result.path(key).asDouble());
          }
          row.put("measuredBatches", result.path("measuredBatches").asInt());
          row.put("measuredSeconds", result.path("measuredSeconds").asDouble());
          row.put("waitsMs", result.path("waitsMs"));
          row.put("otherCpuSeconds", result.path("otherCpuSeconds").asDouble());
          sweep.add(row);
        }
      }
    } finally {
      server.close();
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("started", started.toString());
    run.put("minutes", Duration.between(started, Instant.now()).toSeconds() / 60.0);
    run.put("loadAverageBefore", loadBefore);
    run.put("loadAverageAfter", Machine.loadAverage());
    run.put("command", "java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.harness.Compare "
        + String.join(" ", arguments));
    run.put("settings", options.toString());
    run.put("failedTrials", failures);
    run.put("warmupSeconds", options.warmupSeconds);
    run.put("s3WarmupSeconds", options.s3WarmupSeconds);
    run.put("sweepConfig", options.sweepConfig);
    run.put("sweepMinBatches", options.sweepMinBatches);
    run.put("s3ServerWarmUp", serverWarmUp == null ? "none" : serverWarmUp.toString());
    run.put("seconds", options.seconds);
    new Report(machine, datasets, run, configs, results, sweep, options.latencyMs).write(options.out);
    System.out.println("Wrote " + options.out.resolve("latest.json") + ", latest.md, latest.png");
  }

  private static Config configsById(List<Config> configs, String id) {
    return configs.stream().filter(c -> c.id.equals(id)).findFirst().orElseThrow();
  }

  private JsonNode runTrial(Config config, int rep, List<String> args) throws IOException, InterruptedException {
    return runTrial(config, rep, args, "");
  }

  /**
   * Runs one trial in a fresh JVM; null if it failed or outlived its time limit (warm-up, measurement or, if longer,
   * the consumer's time plus a second per batch for the batches a sweep point must measure, and two minutes), which
   * is then killed: on JDK 17 a trial once hung for good in a G1 GCLocker deadlock around the JDK
   * JPEG decoder's JNI critical sections (every thread waiting in GCLocker::stall_until_clear or jni_lock).
   */
  private JsonNode runTrial(Config config, int rep, List<String> args, String suffix)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + options.childXmx));
    command.addAll(options.childJvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Trial.class.getName()));
    command.addAll(args);
    Path log = options.work.resolve("logs").resolve("rep" + rep + "-" + config.id + suffix + ".log");
    long serverCpuBefore = Machine.cpuTicks(server.pid());
    long busyBefore = Machine.busyTicks();
    long start = System.nanoTime();
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int minBatches = intAfter(args, "--min-batches");
    int consumerMs = intAfter(args, "--consumer-ms");
    long limitSeconds = (long) (Math.max(options.warmupSeconds, options.s3WarmupSeconds)
        + Math.max(options.seconds, minBatches * (consumerMs + 1000) / 1000.0)) + 120;
    boolean finished = child.waitFor(limitSeconds, TimeUnit.SECONDS);
    if (!finished) {
      child.destroyForcibly().waitFor();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double serverCpu = (Machine.cpuTicks(server.pid()) - serverCpuBefore) / (double) Machine.CLOCK_TICKS;
    double busy = (Machine.busyTicks() - busyBefore) / (double) Machine.CLOCK_TICKS;
    String line = Files.readAllLines(log).stream().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
        .orElse(null);
    if (!finished || child.exitValue() != 0 || line == null) {
      System.out.printf(Locale.ROOT, "rep %d %-20s FAILED (exit %s, %.1f s); see %s%n", rep, config.id,
          finished ? child.exitValue() : "timeout", seconds, log);
      return null;
    }
    com.fasterxml.jackson.databind.node.ObjectNode result =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(line.substring("RESULT ".length()));
    result.put("jvmSeconds", seconds);
    result.put("s3ServerCpuSeconds", serverCpu);
    result.put("rep", rep);
    // CPU the rest of the machine used meanwhile (other engineers' builds and benchmarks): the noise indicator
    result.put("otherCpuSeconds", Math.max(0, busy - serverCpu - result.path("cpuSeconds").asDouble()));
    System.out.printf(Locale.ROOT, "rep %d %-20s %8.1f img/s  first batch %7.0f ms  wait p50 %6.1f p99 %6.1f ms  "
            + "heap %5.0f MB  RSS %5.0f MB  GC %4d ms  (%.1f s; CPU s: trial %.1f, s3 server %.1f, others %.1f)%n",
        rep, config.id, result.path("imgPerSec").asDouble(), result.path("timeToFirstBatchMs").asDouble(),
        result.path("waitP50Ms").asDouble(), result.path("waitP99Ms").asDouble(), result.path("peakHeapMb").asDouble(),
        result.path("rssMb").asDouble(), result.path("gcMs").asLong(), seconds, result.path("cpuSeconds").asDouble(),
        serverCpu, result.path("otherCpuSeconds").asDouble());
    return result;
  }

  /** The number after {@code flag} in a trial's arguments, or 0 if it has none. */
  private static int intAfter(List<String> args, String flag) {
    int at = args.indexOf(flag);
    return at < 0 ? 0 : Integer.parseInt(args.get(at + 1));
  }

  private void startServer() throws IOException {
    server = S3ServerProcess.start(java, options.latencyMs, "bench-w1,bench-w2",
        options.work.resolve("logs").resolve("s3-server.log"));
    System.out.println("S3 server (" + S3ServerMain.DESCRIPTION + "; pid " + server.pid() + ", GET latency "
        + options.latencyMs + " ms) at " + server.endpoint);
  }
}
