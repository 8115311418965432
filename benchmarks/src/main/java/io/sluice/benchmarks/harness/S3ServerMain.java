package io.sluice.benchmarks.harness;

import io.sluice.s3.embedded.EmbeddedS3;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The harness's S3 server in a process of its own: s3proxy ({@link EmbeddedS3}) on 127.0.0.1 with a GET latency
 * injected, so the loader under test does not share a JVM (heap, GC, JIT) with the server.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.harness.S3ServerMain --latency-ms 30 --bucket bench
 * </pre>
 *
 * <p>Prints one line {@code ENDPOINT <uri> <accessKey> <secretKey> <region>} once it serves, then runs until its
 * standard input closes (the parent exits or closes the pipe).
 */
public final class S3ServerMain {
  /** How the benchmarks serve S3, for their reports; keep it true to what {@link #main} starts. */
  static final String DESCRIPTION = "s3proxy 4.1.0, objects in memory (its transient blob store), every request's "
      + "AWS Signature V4 verified, Jetty's 200 threads, logging at WARN";
  private S3ServerMain() {}

  /** Starts the server; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    QuietLogging.apply();
    int port = 0;
    long latencyMs = 30;
    String bucket = "bench";
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--latency-ms" -> latencyMs = Long.parseLong(args[++i]);
        case "--bucket" -> bucket = args[++i];
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --port N, --latency-ms N, --bucket NAME, --data-dir DIR");
      }
    }
    EmbeddedS3.Builder builder = EmbeddedS3.builder().port(port).latency(Duration.ofMillis(latencyMs));
    if (dataDir != null) {
      builder.dataDirectory(dataDir);
    }
    try (EmbeddedS3 s3 = builder.start()) {
      for (String b : bucket.split(",")) {
        s3.createBucket(b);
      }
      System.out.println("ENDPOINT " + s3.endpoint() + " " + s3.accessKey() + " " + s3.secretKey() + " " + s3.region());
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes the pipe
      }
    }
  }
}
