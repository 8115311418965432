package io.sluice.benchmarks.transforms;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.Image;
import io.sluice.transforms.Images;
import io.sluice.transforms.JpegDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.datavec.image.loader.NativeImageLoader;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * W1: ImageNet-like 500x375 JPEGs of about 110 KB (see {@link W1Images}), decoded, RandomResizedCrop to
 * 224x224, flipped with probability 0.5, normalised with the ImageNet statistics and written as NCHW float32
 * into the slots of a 64-image batch, from memory. Every score is in images per second.
 *
 * <pre>
 * cd /work/main
 * mvn -B -o -q install -DskipTests -pl loader-api,loader-transforms
 * mvn -B -o -q package -pl benchmarks -DskipTests
 * java -jar benchmarks/target/benchmarks.jar W1TransformBenchmark -f 1 -wi 3 -w 5s -i 5 -r 5s
 * </pre>
 *
 * <ul>
 *   <li>{@code chain} and {@code chainTwoThreads}: the Sluice chain on 1 and 2 threads, each writing into its
 *       own slots of a preallocated direct batch buffer, per JPEG decoder.
 *   <li>{@code loaderTwoWorkers}: the same chain through {@code DataLoader} (2 workers, batch 64, an
 *       in-memory store), epochs of 640 images: the whole path, ND4J batch tensors included.
 *   <li>{@code decode} and {@code decodeTwoThreads}: decoding alone, per candidate: javax.imageio (the
 *       default), OpenCV 4.5.5 through JavaCPP, both with reduced-size decoding to at least 250x188 (1/2),
 *       and two baselines: plain {@code ImageIO.read} and DataVec's {@code NativeImageLoader}.
 *   <li>{@code libjpegTurboCeiling}: the same W1 work in C against the system's libjpeg-turbo, compiled
 *       here at run time ({@link LibjpegTurboCeiling}), on 1 and 2 threads: the ceiling to compare with.
 * </ul>
 *
 * <p>On a shared machine run it when nothing else is busy, or compare scores taken close together.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Djavacpp.platform=linux-x86_64"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class W1TransformBenchmark {
  static final int IMAGES = 64;
  static final int SIZE = 224;
  static final int BATCH = 64;
  static final int EPOCH = 640;
  static final int CEILING_IMAGES = 1280;

  /** The chain of the W1 workload with a JPEG decoder. */
  static Transform<StoredObject, Features> chain(JpegDecoder decoder) {
    return Images.decode(3).jpegDecoder(decoder)
        .andThen(Images.randomResizedCrop(SIZE))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
  }

  static StoredObject[] objects(List<byte[]> jpegs) {
    StoredObject[] objects = new StoredObject[jpegs.size()];
    for (int i = 0; i < objects.length; i++) {
      objects[i] = new StoredObject("mem://w1/" + i + ".jpg", jpegs.get(i), null, null);
    }
    return objects;
  }

  /** The images, the chain under test, and the sample counter. */
  @State(Scope.Benchmark)
  public static class Workload {
    @Param({"IMAGE_IO", "OPENCV"})
    public String decoder;

    StoredObject[] objects;
    Transform<StoredObject, Features> chain;

    @Setup(Level.Trial)
    public void setUp() {
      objects = objects(W1Images.jpegs(IMAGES));
      chain = chain(JpegDecoder.valueOf(decoder));
      System.out.println("\n# W1 chain: " + chain);
    }
  }

  /** One thread's part of a batch: a direct float buffer of 64 NCHW slots, as ND4J allocates them. */
  @State(Scope.Thread)
  public static class Slots {
    FloatBuffer batch;
    int sample;

    @Setup(Level.Trial)
    public void setUp() {
      batch = ByteBuffer.allocateDirect(BATCH * 3 * SIZE * SIZE * Float.BYTES).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
      sample = (int) (Thread.currentThread().getId() * 100_003);
    }

    /** The context the loader would give sample {@code index}: a generator derived from it alone. */
    SampleContext next(StoredObject object) {
      int index = sample++;
      return SampleContext.of(object.uri(), index, 0, new SplittableRandom(index * 0x9E3779B97F4A7C15L));
    }
  }

  private static void transformOne(Workload w, Slots s) {
    int index = s.sample;
    StoredObject object = w.objects[Math.floorMod(index, IMAGES)];
    Features features = w.chain.apply(object, s.next(object));
    int slot = Math.floorMod(index, BATCH) * 3 * SIZE * SIZE;
    features.writeTo(s.batch.duplicate().position(slot).limit(slot + 3 * SIZE * SIZE).slice());
  }

  @Benchmark
  @Threads(1)
  public void chain(Workload w, Slots s) {
    transformOne(w, s);
  }

  @Benchmark
  @Threads(2)
  public void chainTwoThreads(Workload w, Slots s) {
    transformOne(w, s);
  }

  /** A loader over an in-memory store of 640 entries (the 64 images ten times), 2 workers, batch 64. */
  @State(Scope.Benchmark)
  public static class LoaderWorkload {
    DataLoader loader;
    int epoch;

    @Setup(Level.Trial)
    public void setUp() {
      List<byte[]> jpegs = W1Images.jpegs(IMAGES);
      InMemoryObjectStore store = new InMemoryObjectStore();
      Manifest.Builder manifest = Manifest.builder("mem://w1/");
      for (int i = 0; i < EPOCH; i++) {
        String key = "class" + (i % 10) + "/" + i + ".jpg";
        store.put("mem://w1/" + key, jpegs.get(i % IMAGES));
        manifest.add(key, "class" + (i % 10));
      }
      loader = DataLoader.builder().manifest(manifest.build()).store(store).transform(chain(JpegDecoder.IMAGE_IO))
          .batchSize(BATCH).seed(42).workers(2).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loader.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(EPOCH)
  public void loaderTwoWorkers(LoaderWorkload w, Blackhole hole) {
    try (BatchIterator it = w.loader.epoch(w.epoch++)) {
      while (it.hasNext()) {
        Batch batch = it.next();
        hole.consume(batch.features());
      }
    }
  }

  /** Decoding candidates. */
  @State(Scope.Benchmark)
  public static class Decoders {
    @Param({"IMAGE_IO", "OPENCV", "IMAGE_IO_AT_LEAST_250x188", "OPENCV_AT_LEAST_250x188", "IMAGE_IO_READ_BASELINE",
        "DATAVEC_NATIVE_IMAGE_LOADER_BASELINE"})
    public String candidate;

    StoredObject[] objects;
    Transform<StoredObject, Image> decode;
    NativeImageLoader nativeLoader;

    @Setup(Level.Trial)
    public void setUp() {
      objects = objects(W1Images.jpegs(IMAGES));
      decode = switch (candidate) {
        case "IMAGE_IO" -> Images.decode(3);
        case "OPENCV" -> Images.decode(3).jpegDecoder(JpegDecoder.OPENCV);
        case "IMAGE_IO_AT_LEAST_250x188" -> Images.decode(3).minimumSize(250, 188);
        case "OPENCV_AT_LEAST_250x188" -> Images.decode(3).jpegDecoder(JpegDecoder.OPENCV).minimumSize(250, 188);
        default -> null;
      };
      nativeLoader = new NativeImageLoader();
    }

    Object decodeOne(Slots s) {
      int index = s.sample;
      StoredObject object = objects[Math.floorMod(index, IMAGES)];
      SampleContext context = s.next(object);
      try {
        return switch (candidate) {
          case "IMAGE_IO_READ_BASELINE" -> ImageIO.read(new ByteArrayInputStream(object.bytes()));
          case "DATAVEC_NATIVE_IMAGE_LOADER_BASELINE" -> nativeLoader.asMatrix(new ByteArrayInputStream(object.bytes()));
          default -> decode.apply(object, context);
        };
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Benchmark
  @Threads(1)
  public Object decode(Decoders d, Slots s) {
    return d.decodeOne(s);
  }

  @Benchmark
  @Threads(2)
  public Object decodeTwoThreads(Decoders d, Slots s) {
    return d.decodeOne(s);
  }

  /** The C program, compiled once per trial. */
  @State(Scope.Benchmark)
  public static class Ceiling {
    @Param({"1", "2"})
    public int threads;

    LibjpegTurboCeiling program;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      Path dir = Files.createTempDirectory("sluice-w1-ceiling");
      program = LibjpegTurboCeiling.compile(dir, W1Images.jpegs(IMAGES));
    }
  }

  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(CEILING_IMAGES)
  public double libjpegTurboCeiling(Ceiling c) {
    return c.program.run(c.threads, CEILING_IMAGES);
  }
}
