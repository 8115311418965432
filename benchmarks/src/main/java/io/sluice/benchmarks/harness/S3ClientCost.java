package io.sluice.benchmarks.harness;

import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.s3.S3ObjectStore;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3CrtAsyncClientBuilder;

/**
 * What one S3 GET costs the loader's JVM in CPU, per S3 client variant: an A/B benchmark of the HTTP client (Netty,
 * CRT), checksum validation and the store's own layers, on W1 objects (~110 KB JPEGs) from s3proxy in a process of
 * its own (30 ms added to every GET, as in {@link Compare}), so the server's CPU is not counted.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.harness.S3ClientCost --rounds 5
 * </pre>
 *
 * <p>Every variant keeps {@code --in-flight} GETs going (whole objects, like the loader's, with the recorded size)
 * and discards the bytes. After a warm-up of each variant (JIT), the variants take turns for {@code --seconds}
 * each, the order rotated every round, and each turn reports this JVM's CPU time (all threads: client, callbacks,
 * GC, JIT) divided by the GETs completed in it. The machine is shared: each turn also reports the CPU the rest of
 * the machine used (not this JVM, not the server), and the table gives median, min and max over the rounds.
 */
public final class S3ClientCost {

  /** The command line. */
  @Command(name = "S3ClientCost", sortOptions = false,
      description = "CPU per S3 GET in the client JVM, per S3 client variant, interleaved.")
  static final class Flags {
    @Option(names = "--images", paramLabel = "N", description = "W1 objects to read, round robin (default 500)")
    int images = 500;
    @Option(names = "--in-flight", paramLabel = "N", description = "GETs in flight (default 16)")
    int inFlight = 16;
    @Option(names = "--latency-ms", paramLabel = "N", description = "GET latency the server adds (default 30)")
    long latencyMs = 30;
    @Option(names = "--warmup-seconds", paramLabel = "S", description = "warm-up per variant (default 20)")
    double warmupSeconds = 20;
    @Option(names = "--seconds", paramLabel = "S", description = "one measured turn (default 8)")
    double seconds = 8;
    @Option(names = "--rounds", paramLabel = "N", description = "measured turns per variant (default 5)")
    int rounds = 5;
    @Option(names = "--only", paramLabel = "IDS", description = "variant ids, comma-separated (default all: "
        + "store-default, store-sdk-path, store-direct-netty, netty, netty-when-required, crt, crt-when-required, netty-direct-completion, "
        + "crt-direct-completion, crt-s3, crt-s3-no-checksum, crt-s3-direct-completion, sdk-netty-tobytes)")
    String only = "";
    @Option(names = "--work", paramLabel = "DIR", description = "images and logs (default target/sluice-compare)")
    Path work = Path.of("target/sluice-compare");
    @Option(names = "--out", paramLabel = "FILE", description = "the table (default "
        + "benchmarks/results/s3-client-ab.md)")
    Path out = Path.of("benchmarks/results/s3-client-ab.md");
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;
  }

  /** One way to GET: a label and how to start one GET of a reference. */
  record Variant(String id, String label, Supplier<Getter> open) {}

  /** Issues GETs; closed after the variant's turns. */
  interface Getter extends AutoCloseable {
    CompletableFuture<?> get(ObjectRef ref);

    @Override
    void close();
  }

  private S3ClientCost() {}

  /** Runs the benchmark; see the class comment. */
  public static void main(String[] args) throws Exception {
    QuietLogging.apply();
    Flags f = new Flags();
    CommandLine line = new CommandLine(f);
    line.parseArgs(args);
    if (line.isUsageHelpRequested()) {
      line.usage(System.out);
      return;
    }
    run(f, String.join(" ", args));
    System.exit(0);
  }

  private static void run(Flags f, String arguments) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path root = f.work.toAbsolutePath().resolve("data-" + f.images);
    Files.createDirectories(f.work.resolve("logs"));
    Datasets.W1.writeTo(root, "bench-w1", f.images);
    Map<String, Object> machine = Machine.describe();
    Instant started = Instant.now();
    try (S3ServerProcess server = S3ServerProcess.start(java, f.latencyMs, "bench-w1",
        f.work.resolve("logs").resolve("s3-client-cost-server.log"))) {
      server.upload(root.resolve("bench-w1"), "bench-w1", f.images);
      List<ObjectRef> refs = new ArrayList<>();
      for (int n = 0; n < f.images; n++) {
        refs.add(new ObjectRef("s3://bench-w1/" + Datasets.key(n),
            Files.size(root.resolve("bench-w1").resolve(Datasets.key(n))), null, null));
      }
      List<Variant> variants = variants(server);
      if (!f.only.isBlank()) {
        List<String> ids = List.of(f.only.split(","));
        variants.removeIf(v -> !ids.contains(v.id()));
      }
      Map<String, Getter> open = new LinkedHashMap<>();
      for (Variant v : variants) {
        open.put(v.id(), v.open().get());
      }
      try {
        for (Variant v : variants) { // warm-up: JIT of each client's path; the first also warms the server
          Turn warm = turn(open.get(v.id()), refs, f.inFlight, f.warmupSeconds, server.pid());
          System.out.printf(Locale.ROOT, "warm-up %-24s %6.3f core-ms/GET  %5.0f GET/s%n", v.id(), warm.cpuMsPerGet(),
              warm.getsPerSecond());
        }
        Map<String, List<Turn>> turns = new LinkedHashMap<>();
        variants.forEach(v -> turns.put(v.id(), new ArrayList<>()));
        for (int round = 0; round < f.rounds; round++) {
          for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get((i + round) % variants.size());
            Turn t = turn(open.get(v.id()), refs, f.inFlight, f.seconds, server.pid());
            turns.get(v.id()).add(t);
            System.out.printf(Locale.ROOT, "round %d %-24s %6.3f core-ms/GET  %5.0f GET/s  server %5.3f  "
                    + "others %4.2f cores  GC %3d ms%n", round + 1, v.id(), t.cpuMsPerGet(), t.getsPerSecond(),
                t.serverMsPerGet(), t.otherCores(), t.gcMs());
          }
        }
        String table = report(f, arguments, machine, started, variants, turns);
        Files.createDirectories(f.out.toAbsolutePath().getParent());
        Files.writeString(f.out, table);
        System.out.println(table);
      } finally {
        open.values().forEach(Getter::close);
      }
    }
  }

  private static S3AsyncClientBuilder sdk(S3ServerProcess server) {
    return S3AsyncClient.builder().endpointOverride(URI.create(server.endpoint)).region(Region.of(server.region))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey, server.secretKey)))
        .forcePathStyle(true).overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)));
  }

  /** The CRT-based S3 client of the server: one attempt per GET, as the store's own clients make. */
  private static S3CrtAsyncClientBuilder crtS3(S3ServerProcess server) {
    return S3AsyncClient.crtBuilder().endpointOverride(URI.create(server.endpoint)).region(Region.of(server.region))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey, server.secretKey)))
        .forcePathStyle(true).maxConcurrency(256).retryConfiguration(r -> r.numRetries(0));
  }

  private static SdkAsyncHttpClient.Builder<?> netty() {
    return NettyNioAsyncHttpClient.builder().maxConcurrency(256);
  }

  private static SdkAsyncHttpClient.Builder<?> crt() {
    return AwsCrtAsyncHttpClient.builder().maxConcurrency(256);
  }

  /** A getter over {@code get}, closing {@code resources} in order when closed. */
  private static Getter getter(java.util.function.Function<ObjectRef, CompletableFuture<?>> get,
      AutoCloseable... resources) {
    return new Getter() {
      @Override
      public CompletableFuture<?> get(ObjectRef ref) {
        return get.apply(ref);
      }

      @Override
      public void close() {
        for (AutoCloseable r : resources) {
          try {
            r.close();
          } catch (Exception e) {
            throw new IllegalStateException("cannot close " + r, e);
          }
        }
      }
    };
  }

  /** The store over a client of its own, as the loader uses it. */
  private static Getter store(S3AsyncClient client) {
    ObjectStore store = S3ObjectStore.builder().client(client).build();
    return getter(store::get, store, client);
  }

  /** The SDK alone: {@code getObject} into {@code toBytes()}, no store. */
  private static Getter sdkToBytes(S3AsyncClient client) {
    return getter(ref -> client.getObject(b -> b.bucket("bench-w1").key(ref.uri().substring("s3://bench-w1/".length())),
        AsyncResponseTransformer.toBytes()), client);
  }

  private static List<Variant> variants(S3ServerProcess server) {
    List<Variant> all = new ArrayList<>();
    all.add(new Variant("store-default", "the store as built by S3ObjectStore.builder() (its defaults)", () -> {
      S3ObjectStore store = S3ObjectStore.builder().endpoint(URI.create(server.endpoint)).region(server.region)
          .credentials(server.accessKey, server.secretKey).pathStyle(true).build();
      return getter(store::get, store);
    }));
    all.add(new Variant("store-sdk-path", "the store as built by S3ObjectStore.builder(), GETs through the SDK "
        + "client (getPath(SDK))", () -> {
          S3ObjectStore store = S3ObjectStore.builder().endpoint(URI.create(server.endpoint)).region(server.region)
              .credentials(server.accessKey, server.secretKey).pathStyle(true)
              .getPath(S3ObjectStore.GetPath.SDK).build();
          return getter(store::get, store);
        }));
    all.add(new Variant("store-direct-netty", "the store as built by S3ObjectStore.builder(), direct GETs over Netty "
        + "(httpClient(NETTY))", () -> {
          S3ObjectStore store = S3ObjectStore.builder().endpoint(URI.create(server.endpoint)).region(server.region)
              .credentials(server.accessKey, server.secretKey).pathStyle(true)
              .httpClient(S3ObjectStore.HttpClient.NETTY).build();
          return getter(store::get, store);
        }));
    all.add(new Variant("netty", "store, Netty, SDK checksum defaults (WHEN_SUPPORTED)",
        () -> store(sdk(server).httpClientBuilder(netty()).build())));
    all.add(new Variant("netty-when-required", "store, Netty, checksums WHEN_REQUIRED",
        () -> store(sdk(server).httpClientBuilder(netty())
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build())));
    all.add(new Variant("crt", "store, CRT HTTP client, SDK checksum defaults",
        () -> store(sdk(server).httpClientBuilder(crt()).build())));
    all.add(new Variant("crt-when-required", "store, CRT HTTP client, checksums WHEN_REQUIRED",
        () -> store(sdk(server).httpClientBuilder(crt())
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build())));
    all.add(new Variant("netty-direct-completion", "store, Netty, futures completed on the event loop (no hand-off "
        + "to the SDK's sdk-async-response threads)", () -> store(sdk(server).httpClientBuilder(netty())
            .asyncConfiguration(a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
                Runnable::run)).build())));
    all.add(new Variant("crt-direct-completion", "store, CRT, futures completed on the event loop",
        () -> store(sdk(server).httpClientBuilder(crt())
            .asyncConfiguration(a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
                Runnable::run)).build())));
    all.add(new Variant("crt-s3", "store over the CRT-based S3 client (S3AsyncClient.crtBuilder(): signing and HTTP "
        + "in native code), checksum validation on", () -> store(crtS3(server).build())));
    all.add(new Variant("crt-s3-no-checksum", "store, CRT-based S3 client, checksum validation off",
        () -> store(crtS3(server).checksumValidationEnabled(false).build())));
    all.add(new Variant("crt-s3-direct-completion", "store, CRT-based S3 client, futures completed on the CRT's "
        + "threads", () -> store(crtS3(server).futureCompletionExecutor(Runnable::run).build())));
    all.add(new Variant("sdk-netty-tobytes", "SDK alone, Netty, toBytes(), no store",
        () -> sdkToBytes(sdk(server).httpClientBuilder(netty()).build())));
    return all;
  }

  /** One measured turn of one variant. */
  record Turn(long gets, double seconds, double cpuMs, double serverMs, double otherCpuSeconds, long gcMs) {
    double cpuMsPerGet() {
      return gets == 0 ? Double.NaN : cpuMs / gets;
    }

    double serverMsPerGet() {
      return gets == 0 ? Double.NaN : serverMs / gets;
    }

    double getsPerSecond() {
      return gets / seconds;
    }

    double otherCores() {
      return otherCpuSeconds / seconds;
    }
  }

  /** Keeps {@code inFlight} GETs going for {@code seconds}, then waits for the last ones; measures the whole. */
  private static Turn turn(Getter getter, List<ObjectRef> refs, int inFlight, double seconds, long serverPid)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong done = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long gcBefore = gcMillis();
    long serverBefore = Machine.cpuTicks(serverPid);
    long busyBefore = Machine.busyTicks();
    long cpuBefore = Trial.processCpuNanos();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    for (int n = 0; System.nanoTime() < end && failure.get() == null; n++) {
      slots.acquire();
      getter.get(refs.get(n % refs.size())).whenComplete((r, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        } else {
          done.incrementAndGet();
        }
        slots.release();
      });
    }
    slots.acquire(inFlight);
    long elapsed = System.nanoTime() - start;
    long cpu = Trial.processCpuNanos() - cpuBefore;
    double server = (Machine.cpuTicks(serverPid) - serverBefore) * 1000.0 / Machine.CLOCK_TICKS;
    double busy = (Machine.busyTicks() - busyBefore) / (double) Machine.CLOCK_TICKS;
    if (failure.get() != null) {
      throw new IllegalStateException("a GET failed", failure.get());
    }
    return new Turn(done.get(), elapsed / 1e9, cpu / 1e6, server,
        Math.max(0, busy - cpu / 1e9 - server / 1000), gcMillis() - gcBefore);
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static String report(Flags f, String arguments, Map<String, Object> machine, Instant started,
      List<Variant> variants, Map<String, List<Turn>> turns) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# CPU per S3 GET in the client JVM, per S3 client variant\n\n");
    md.append("Machine: ").append(machine).append(".\n\n");
    md.append(String.format(Locale.ROOT, "Run: `java -cp benchmarks/target/benchmarks.jar "
        + "io.sluice.benchmarks.harness.S3ClientCost %s`, started %s. W1 objects (%d JPEGs, ~110 KB) from s3proxy in "
        + "its own process, %d ms added to every GET; %d GETs in flight; each variant warmed up for %.0f s, then "
        + "%d rounds of %.0f s per variant, the order rotated every round. CPU is this JVM's (all threads: HTTP "
        + "client, callbacks, GC, JIT), not the server's.%n%n", arguments, started, f.images, f.latencyMs, f.inFlight,
        f.warmupSeconds, f.rounds, f.seconds));
    md.append("| variant | core-ms / GET, median (min-max) | GET/s, median | server core-ms / GET | "
        + "other processes, cores (median) |\n|---|---:|---:|---:|---:|\n");
    for (Variant v : variants) {
      List<Turn> ts = turns.get(v.id());
      double[] cpu = ts.stream().mapToDouble(Turn::cpuMsPerGet).sorted().toArray();
      md.append(String.format(Locale.ROOT, "| %s: %s | %.3f (%.3f-%.3f) | %.0f | %.3f | %.2f |%n", v.id(), v.label(),
          median(cpu), cpu[0], cpu[cpu.length - 1], median(ts.stream().mapToDouble(Turn::getsPerSecond).toArray()),
          median(ts.stream().mapToDouble(Turn::serverMsPerGet).toArray()),
          median(ts.stream().mapToDouble(Turn::otherCores).toArray())));
    }
    return md.toString();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
