package io.sluice.benchmarks.jmh;

import io.sluice.benchmarks.harness.Datasets;
import io.sluice.benchmarks.harness.QuietLogging;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Fetch alone: GETs of W1 objects (500x375 JPEGs, about 110 KB) through {@link S3ObjectStore} from an s3proxy
 * ({@link EmbeddedS3}) in the same JVM, at several requests in flight and injected GET latencies. No decode. The
 * score is objects per second.
 *
 * <pre>
 * cd /work/main
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar FetchBenchmark -f 1 -wi 2 -i 3
 * java -jar benchmarks/target/benchmarks.jar FetchBenchmark -f 1 -wi 2 -i 3 -p latencyMs=30 -p inFlight=64
 * </pre>
 *
 * <p>With {@code latencyMs=30} a GET cannot finish in less than 30 ms, so one request in flight tops out near 32
 * objects/s and the rate should grow with {@code inFlight} until the CPU (client and server share it here) is the
 * limit. The comparison harness measures the same from a server in its own process
 * ({@code io.sluice.benchmarks.harness.Compare}, configuration f).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class FetchBenchmark {
  static final int OBJECTS = 128;
  static final String BUCKET = "fetch-bench";

  /** Milliseconds the server adds to each GET. */
  @Param({"0", "30"})
  public int latencyMs;

  /** GETs in flight at once. */
  @Param({"1", "8", "32", "64"})
  public int inFlight;

  private EmbeddedS3 server;
  private S3ObjectStore store;
  private ObjectRef[] refs;
  private final AtomicLong bytes = new AtomicLong();

  /** Starts the server, uploads the objects through a store of its own, opens the store under test. */
  @Setup(Level.Trial)
  public void setUp() {
    QuietLogging.apply();
    server = EmbeddedS3.builder().latency(Duration.ofMillis(latencyMs)).start();
    server.createBucket(BUCKET);
    store = S3ObjectStore.builder().endpoint(server.endpoint()).region(server.region())
        .credentials(server.accessKey(), server.secretKey()).pathStyle(true)
        .maxConnections(Math.max(64, inFlight)).build();
    refs = new ObjectRef[OBJECTS];
    try (S3AsyncClient client = S3AsyncClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(server.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
        .forcePathStyle(true)
        .build()) {
      for (int i = 0; i < OBJECTS; i++) {
        String key = Datasets.key(i);
        client.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(Datasets.W1.jpeg(i))).join();
        refs[i] = ObjectRef.of("s3://" + BUCKET + "/" + key);
      }
    }
  }

  /** Closes the store and stops the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    server.close();
  }

  /** Fetches all objects once, {@code inFlight} at a time; the score counts objects. */
  @Benchmark
  @OperationsPerInvocation(OBJECTS)
  public long fetchAll() throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (ObjectRef ref : refs) {
      slots.acquire();
      CompletableFuture<StoredObject> get = store.get(ref);
      get.whenComplete((object, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        } else {
          bytes.addAndGet(object.size());
        }
        slots.release();
      });
    }
    slots.acquire(inFlight);
    if (failure.get() != null) {
      throw new IllegalStateException("a GET failed", failure.get());
    }
    return bytes.get();
  }
}
