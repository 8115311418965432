package io.sluice.benchmarks.jmh;

import io.sluice.benchmarks.harness.Datasets;
import io.sluice.benchmarks.transforms.W1Images;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.Image;
import io.sluice.transforms.Images;
import io.sluice.transforms.JpegAccelerator;
import io.sluice.transforms.JpegDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JPEG decoding ahead of a crop or a resize, by decoder, on one thread (images per second):
 *
 * <ul>
 *   <li>{@code window*}: W1 (500x375 q90) decoded for RandomResizedCrop 224 (then cropped and resized): javax.imageio
 *       alone ({@code -Dsluice.jpeg=imageio}, reads the rows down to the window's last), with the
 *       {@code loader-libjpeg-turbo} accelerator (also skips the columns outside the window and the rows above it;
 *       the same pixels), and the {@code LIBJPEG_TURBO} decoder.
 *   <li>{@code reduced*}: a 2048x1536 q90 photo for {@code resizeShorterSide(256)}: in full by javax.imageio, then
 *       resized; or reduced first by {@code minimumSize(256, 256)} (1/4 here) by averaging 4x4 blocks after a full
 *       javax.imageio decode, or in the DCT domain by OpenCV or libjpeg-turbo. The reduced variants give a slightly
 *       different picture from the full one (DCT scaling and block averaging differ from each other by a few
 *       levels); each is deterministic.
 * </ul>
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar DecodeBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class DecodeBenchmark {
  static final int W1_SAMPLES = 64;

  private List<StoredObject> w1;
  private List<SampleContext> contexts;
  private Transform<StoredObject, Image> windowImageIo;
  private Transform<StoredObject, Image> windowTurbo;

  @Setup
  public void setUp() {
    w1 = new ArrayList<>();
    contexts = new ArrayList<>();
    List<byte[]> jpegs = W1Images.jpegs(W1_SAMPLES);
    for (int i = 0; i < W1_SAMPLES; i++) {
      w1.add(new StoredObject("mem://w1/" + i + ".jpg", jpegs.get(i), null, null));
      contexts.add(SampleContext.of("mem://w1/" + i + ".jpg", i));
    }
    Transform<Image, Image> crop = Images.randomResizedCrop(224);
    windowImageIo = Images.decode(3).andThen(crop);
    windowTurbo = Images.decode(3).jpegDecoder(JpegDecoder.LIBJPEG_TURBO).andThen(crop);
    JpegAccelerator accelerator = JpegAccelerator.installed();
    System.out.println("accelerator: " + (accelerator == null ? "none" : accelerator.getClass().getSimpleName()));
  }

  /** The large photo and the chain that takes it to shorter side 256. */
  @State(Scope.Benchmark)
  public static class Large {
    /** How the large photo becomes shorter side 256. */
    @Param({"full-imageio", "reduced-imageio", "reduced-opencv", "reduced-libjpeg-turbo"})
    public String reduced;

    StoredObject photo;
    Transform<StoredObject, Image> toShorterSide256;
    SampleContext context = SampleContext.of("mem://large.jpg", 0);

    @Setup
    public void setUp() {
      photo = new StoredObject("mem://large.jpg", Datasets.encode(Datasets.photo(7, 2048, 1536, 24), 0.9f), null,
          null);
      toShorterSide256 = switch (reduced) {
        case "full-imageio" -> Images.decode(3).andThen(Images.resizeShorterSide(256));
        case "reduced-imageio" -> Images.decode(3).minimumSize(256, 256).andThen(Images.resizeShorterSide(256));
        case "reduced-opencv" -> Images.decode(3).jpegDecoder(JpegDecoder.OPENCV).minimumSize(256, 256)
            .andThen(Images.resizeShorterSide(256));
        case "reduced-libjpeg-turbo" -> Images.decode(3).jpegDecoder(JpegDecoder.LIBJPEG_TURBO)
            .minimumSize(256, 256).andThen(Images.resizeShorterSide(256));
        default -> throw new IllegalArgumentException(reduced);
      };
    }
  }

  private long windows(Transform<StoredObject, Image> chain) {
    long sum = 0;
    for (int i = 0; i < W1_SAMPLES; i++) {
      sum += chain.apply(w1.get(i), contexts.get(i)).pixels()[0];
    }
    return sum;
  }

  /** W1 windows through javax.imageio alone. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dsluice.jpeg=imageio"})
  @OperationsPerInvocation(W1_SAMPLES)
  public long windowImageIoAlone() {
    return windows(windowImageIo);
  }

  /** W1 windows through javax.imageio's decoder with the accelerator (the default where it is on). */
  @Benchmark
  @OperationsPerInvocation(W1_SAMPLES)
  public long windowAccelerated() {
    return windows(windowImageIo);
  }

  /** W1 windows through the LIBJPEG_TURBO decoder. */
  @Benchmark
  @OperationsPerInvocation(W1_SAMPLES)
  public long windowLibjpegTurbo() {
    return windows(windowTurbo);
  }

  /** The large photo to shorter side 256, as {@link Large#reduced} says. */
  @Benchmark
  public long reducedTo256(Large large) {
    return large.toShorterSide256.apply(large.photo, large.context).pixels()[0];
  }
}
