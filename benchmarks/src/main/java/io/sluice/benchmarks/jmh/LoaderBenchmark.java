package io.sluice.benchmarks.jmh;

import io.sluice.benchmarks.harness.Datasets;
import io.sluice.benchmarks.harness.QuietLogging;
import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import io.sluice.transforms.Images;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * End to end: one epoch of a {@link DataLoader} per operation, W1 or W2 JPEGs through the W1 chain (decode,
 * RandomResizedCrop 224, horizontal flip 0.5, ImageNet-normalised NCHW float32), batch 64, from memory or from an
 * s3proxy in the same JVM with 30 ms added to each GET. The loader and its store live for the whole trial; each
 * operation reads the next epoch (a new shuffle). The score is images per second.
 *
 * <pre>
 * cd /work/main
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar LoaderBenchmark -f 1 -wi 2 -i 3
 * java -jar benchmarks/target/benchmarks.jar LoaderBenchmark -f 1 -wi 2 -i 3 -p dataset=W1 -p store=s3
 * </pre>
 *
 * <p>Here the S3 server shares the JVM and the 2 cores with the loader; the comparison harness
 * ({@code io.sluice.benchmarks.harness.Compare}) runs it in a process of its own and compares with the baselines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class LoaderBenchmark {
  static final int IMAGES = 640;
  static final String BUCKET = "loader-bench";

  /** W1 (500x375, ~110 KB) or W2 (224x224, ~25 KB). */
  @Param({"W1", "W2"})
  public String dataset;

  /** {@code memory} ({@link InMemoryObjectStore}) or {@code s3} (in-process s3proxy, 30 ms per GET). */
  @Param({"memory", "s3"})
  public String store;

  private EmbeddedS3 server;
  private ObjectStore objects;
  private DataLoader loader;
  private int epoch;

  /** Makes the images, fills the store, builds the loader. */
  @Setup(Level.Trial)
  public void setUp() {
    QuietLogging.apply();
    Datasets workload = Datasets.valueOf(dataset);
    Manifest.Builder manifest = Manifest.builder("s3://" + BUCKET + "/");
    byte[][] jpegs = new byte[IMAGES][];
    for (int n = 0; n < IMAGES; n++) {
      jpegs[n] = workload.jpeg(n);
      manifest.add(Datasets.key(n), Datasets.className(n), jpegs[n].length, null, null);
    }
    if (store.equals("memory")) {
      InMemoryObjectStore memory = new InMemoryObjectStore();
      for (int n = 0; n < IMAGES; n++) {
        memory.put("s3://" + BUCKET + "/" + Datasets.key(n), jpegs[n]);
      }
      objects = memory;
    } else {
      server = EmbeddedS3.builder().latency(Duration.ofMillis(30)).start();
      server.createBucket(BUCKET);
      try (S3AsyncClient client = S3AsyncClient.builder().endpointOverride(server.endpoint())
          .region(Region.of(server.region()))
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
          .forcePathStyle(true).build()) {
        for (int n = 0; n < IMAGES; n++) {
          String key = Datasets.key(n);
          client.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(jpegs[n])).join();
        }
      }
      objects = S3ObjectStore.builder().endpoint(server.endpoint()).region(server.region())
          .credentials(server.accessKey(), server.secretKey()).pathStyle(true).build();
    }
    Transform<StoredObject, Features> chain = Images.decode(3)
        .andThen(Images.randomResizedCrop(224))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
    loader = DataLoader.builder().manifest(manifest.build()).store(objects).transform(chain).batchSize(64).seed(42)
        .build();
  }

  /** Closes the loader, the store and the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    loader.close();
    objects.close();
    if (server != null) {
      server.close();
    }
  }

  /** Reads one whole epoch; the score counts images. */
  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public void epoch(Blackhole blackhole) {
    try (BatchIterator batches = loader.epoch(epoch++)) {
      while (batches.hasNext()) {
        Batch batch = batches.next();
        blackhole.consume(batch.features());
      }
    }
  }
}
