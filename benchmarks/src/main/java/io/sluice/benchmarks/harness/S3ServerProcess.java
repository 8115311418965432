package io.sluice.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The benchmarks' S3 server: {@link S3ServerMain} (s3proxy) in a process of its own on 127.0.0.1 with a GET latency
 * injected, so the JVM under measurement does not share heap, GC or JIT with it, and its CPU is counted apart.
 */
final class S3ServerProcess implements AutoCloseable {
  /**
   * A system property of the parent JVM: extra JVM arguments for the server process, separated by spaces, for
   * example {@code -XX:StartFlightRecording=filename=server.jfr,settings=profile} to profile it.
   */
  static final String EXTRA_JVM_ARGS = "sluice.s3server.jvmArgs";
  /** A system property of the parent JVM: more {@link S3ServerMain} arguments, e.g. {@code --data-dir DIR}. */
  static final String EXTRA_SERVER_ARGS = "sluice.s3server.args";
  private final Process process;
  final String endpoint;
  final String accessKey;
  final String secretKey;
  final String region;

  private S3ServerProcess(Process process, String[] endpointLine) {
    this.process = process;
    this.endpoint = endpointLine[1];
    this.accessKey = endpointLine[2];
    this.secretKey = endpointLine[3];
    this.region = endpointLine[4];
  }

  /**
   * Starts the server with {@code buckets} (comma-separated) and waits until it serves; its log goes to {@code log}.
   *
   * @throws IllegalStateException if the process exits before it serves
   */
  static S3ServerProcess start(Path java, long latencyMs, String buckets, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx3g"));
    String extra = System.getProperty(EXTRA_JVM_ARGS, "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), S3ServerMain.class.getName(),
        "--latency-ms", Long.toString(latencyMs), "--bucket", buckets));
    String serverArgs = System.getProperty(EXTRA_SERVER_ARGS, "");
    if (!serverArgs.isBlank()) {
      command.addAll(List.of(serverArgs.trim().split("\\s+")));
    }
    Process server = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("ENDPOINT ")) {
      // skip anything printed before the endpoint
    }
    if (line == null) {
      throw new IllegalStateException("the S3 server process exited before serving; see " + log);
    }
    return new S3ServerProcess(server, line.split(" "));
  }

  long pid() {
    return process.pid();
  }

  /** A Netty client of the server with {@code maxConcurrency} connections. */
  S3AsyncClient client(int maxConcurrency) {
    return S3AsyncClient.builder().endpointOverride(URI.create(endpoint)).region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .forcePathStyle(true).httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(maxConcurrency))
        .build();
  }

  /** Uploads objects {@code 0 .. count-1} ({@link Datasets#key}) from {@code dir} to {@code bucket}, 32 at a time. */
  void upload(Path dir, String bucket, int count) throws InterruptedException {
    Semaphore inFlight = new Semaphore(32);
    try (S3AsyncClient s3 = client(32)) {
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (int n = 0; n < count; n++) {
        String key = Datasets.key(n);
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(dir.resolve(key));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        inFlight.acquire();
        puts.add(s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"),
            AsyncRequestBody.fromBytes(bytes)).whenComplete((r, e) -> inFlight.release()));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    }
  }

  /** What warming the server up cost and did. */
  record WarmUp(long gets, double seconds, double serverCpuSeconds, double lastServerMsPerGet, double settleSeconds) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d GETs in %.1f s, server CPU %.1f s (%.3f core-ms per GET in the "
          + "last quarter), then %.1f s until its JIT settled", gets, seconds, serverCpuSeconds, lastServerMsPerGet,
          settleSeconds);
    }
  }

  /**
   * Warms the server up before anything is measured: {@code gets} GETs, {@code inFlight} at a time, of objects
   * {@code 0 .. count-1} of every bucket in turn (so every object size the trials read), then waits (up to 60 s) until
   * the server's CPU falls below 5% of a core for a second, that is until the compilations the GETs queued are done.
   * Without it the first measured trial pays s3proxy's JIT compilation.
   */
  WarmUp warmUp(List<String> buckets, int count, int gets, int inFlight) throws InterruptedException {
    long start = System.nanoTime();
    long cpuStart = Machine.cpuTicks(pid());
    long lastQuarterTicks = 0;
    int lastQuarterGets = 0;
    Semaphore slots = new Semaphore(inFlight);
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    try (S3AsyncClient s3 = client(inFlight)) {
      long quarterStart = 0;
      for (int n = 0; n < gets && failure.get() == null; n++) {
        if (n == gets - gets / 4) {
          slots.acquire(inFlight); // let the earlier GETs finish so the last quarter is measured alone
          slots.release(inFlight);
          quarterStart = Machine.cpuTicks(pid());
          lastQuarterGets = gets - n;
        }
        String bucket = buckets.get(n % buckets.size());
        String key = Datasets.key((n / buckets.size()) % count);
        slots.acquire();
        s3.getObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.async.AsyncResponseTransformer
            .toBytes()).whenComplete((r, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
              slots.release();
            });
      }
      slots.acquire(inFlight);
      lastQuarterTicks = Machine.cpuTicks(pid()) - quarterStart;
    }
    if (failure.get() != null) {
      throw new IllegalStateException("warming the S3 server up failed", failure.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long settleStart = System.nanoTime();
    long before = Machine.cpuTicks(pid());
    while (System.nanoTime() - settleStart < 60_000_000_000L) {
      Thread.sleep(1000);
      long now = Machine.cpuTicks(pid());
      if (now - before < Machine.CLOCK_TICKS / 20) {
        break;
      }
      before = now;
    }
    double settle = (System.nanoTime() - settleStart) / 1e9;
    double cpu = (Machine.cpuTicks(pid()) - cpuStart) / (double) Machine.CLOCK_TICKS;
    return new WarmUp(gets, seconds, cpu,
        lastQuarterGets == 0 ? Double.NaN : lastQuarterTicks * 1000.0 / Machine.CLOCK_TICKS / lastQuarterGets, settle);
  }

  /** Stops the server: closes its standard input, then kills it if it has not exited within 20 s. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
