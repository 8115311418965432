package io.sluice.benchmarks.jmh;

import io.sluice.benchmarks.harness.Datasets;
import io.sluice.benchmarks.harness.QuietLogging;
import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.dl4j.ByteImageNormalizer;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.Image;
import io.sluice.transforms.Images;
import io.sluice.transforms.TensorLayout;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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

/**
 * float32 against uint8 feature batches: one epoch of W2 JPEGs (224x224) from memory through decode,
 * RandomResizedCrop 224 and a flip, batch 64, per operation. The score is images per second; the bytes of
 * one batch's features are printed at the end of each trial ({@code bytes per batch: ...}).
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar Uint8Benchmark -f 1 -wi 1 -i 3
 * </pre>
 *
 * <p>{@code float32}: normalised float32 NCHW written by the workers. {@code uint8}: uint8 NCHW, a quarter of
 * the bytes, normalised nowhere (what a GPU trainer receives before its device-side normalisation).
 * {@code uint8+normalize}: uint8 then {@link ByteImageNormalizer} on the consumer's thread, what a CPU backend
 * pays for the same float32 batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
public class Uint8Benchmark {
  static final int IMAGES = 320;
  static final String PREFIX = "mem://uint8-bench/";

  /** {@code float32}, {@code uint8} or {@code uint8+normalize}. */
  @Param({"float32", "uint8", "uint8+normalize"})
  public String features;

  private DataLoader loader;
  private ByteImageNormalizer normalizer;
  private int epoch;
  private long batchBytes;

  /** Makes the images and builds the loader. */
  @Setup(Level.Trial)
  public void setUp() {
    QuietLogging.apply();
    Manifest.Builder manifest = Manifest.builder(PREFIX);
    InMemoryObjectStore store = new InMemoryObjectStore();
    for (int n = 0; n < IMAGES; n++) {
      byte[] jpeg = Datasets.W2.jpeg(n);
      manifest.add(Datasets.key(n), Datasets.className(n), jpeg.length, null, null);
      store.put(PREFIX + Datasets.key(n), jpeg);
    }
    boolean uint8 = !features.equals("float32");
    Transform<StoredObject, Image> images = Images.decode(3).andThen(Images.randomResizedCrop(224))
        .andThen(Images.horizontalFlip(0.5));
    Transform<StoredObject, Features> chain = uint8 ? images.andThen(Images.byteTensor(TensorLayout.CHW))
        : images.andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
    normalizer = features.equals("uint8+normalize")
        ? ByteImageNormalizer.normalize(1 / 255f, Images.imageNetMean(), Images.imageNetStd()) : null;
    loader = DataLoader.builder().manifest(manifest.build()).store(store).transform(chain).batchSize(64).seed(42)
        .uint8Features(uint8).build();
  }

  /** Prints the bytes of one batch's features and closes the loader. */
  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.println("bytes per batch: " + features + " " + batchBytes);
    loader.close();
  }

  /** Reads one whole epoch; the score counts images. */
  @Benchmark
  @OperationsPerInvocation(IMAGES)
  public void epoch(Blackhole blackhole) {
    try (BatchIterator batches = loader.epoch(epoch++)) {
      while (batches.hasNext()) {
        Batch batch = batches.next();
        INDArray f = batch.features();
        batchBytes = Math.max(batchBytes, f.length() * f.dataType().width());
        blackhole.consume(normalizer == null ? f : normalizer.apply(f));
      }
    }
  }
}
