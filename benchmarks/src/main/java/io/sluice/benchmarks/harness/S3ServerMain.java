package io.sluice.benchmarks.harness;

import io.sluice.s3.embedded.EmbeddedS3;
import java.io.IOException;
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
  private S3ServerMain() {}

  /** Starts the server; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    QuietLogging.apply();
    int port = 0;
    long latencyMs = 30;
    String bucket = "bench";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--latency-ms" -> latencyMs = Long.parseLong(args[++i]);
        case "--bucket" -> bucket = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --port N, --latency-ms N, --bucket NAME");
      }
    }
    try (EmbeddedS3 s3 = EmbeddedS3.builder().port(port).latency(Duration.ofMillis(latencyMs)).start()) {
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
