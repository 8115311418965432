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
    Process server = new ProcessBuilder(java.toString(), "-Xmx3g", "-cp", System.getProperty("java.class.path"),
        S3ServerMain.class.getName(), "--latency-ms", Long.toString(latencyMs), "--bucket", buckets)
        .redirectError(log.toFile()).start();
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
