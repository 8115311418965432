package io.sluice.benchmarks.jmh;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.transforms.Image;
import io.sluice.transforms.Images;
import io.sluice.transforms.LinearResizer;
import java.util.SplittableRandom;
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
 * RandomResizedCrop 224 plus a flip (0.5) of an 8-bit RGB image, the resampling the W1 chain and the prefix cache's
 * epochs do per sample: {@code java} with the Java implementation, {@code native} with whatever
 * {@link LinearResizer} is installed (OpenCV's {@code INTER_LINEAR_EXACT}, from loader-datavec). Both give the same
 * pixels. Sources: a 500x375 image (W1 decoded) and a 341x256 one (W1 kept at shorter side 256). Score: images per
 * second on one thread; each fork runs on the JDK that runs JMH ({@code -jvm} picks another).
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar ResizeBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class ResizeBenchmark {
  static final int SAMPLES = 256;

  /** The source image's size. */
  @Param({"500x375", "341x256"})
  public String source;

  private Image image;
  private Transform<Image, Image> crop;
  private SampleContext[] contexts;

  @Setup
  public void setUp() {
    String[] wh = source.split("x");
    int width = Integer.parseInt(wh[0]);
    int height = Integer.parseInt(wh[1]);
    SplittableRandom random = new SplittableRandom(1);
    byte[] pixels = new byte[width * height * 3];
    for (int y = 0, i = 0; y < height; y++) { // smooth gradients with some noise, like a photo's pixels
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++, i++) {
          pixels[i] = (byte) (x * (c + 1) + 2 * y + random.nextInt(24));
        }
      }
    }
    image = new Image(width, height, 3, pixels);
    crop = Images.randomResizedCrop(224).andThen(Images.horizontalFlip(0.5));
    contexts = new SampleContext[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      contexts[i] = SampleContext.of("mem://resize-bench/" + i, i);
    }
    String expected = System.getProperty("sluice.resize", "auto");
    LinearResizer installed = LinearResizer.installed();
    System.out.println("resizer: " + (installed == null ? "Java" : installed.getClass().getSimpleName())
        + " (sluice.resize=" + expected + ")");
  }

  private long run() {
    long sum = 0;
    for (SampleContext context : contexts) {
      sum += crop.apply(image, context).pixels()[0];
    }
    return sum;
  }

  /** The Java implementation. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dsluice.resize=java"})
  @OperationsPerInvocation(SAMPLES)
  public long java() {
    return run();
  }

  /** The installed native implementation, if any (else the Java one again). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Xmx1g")
  @OperationsPerInvocation(SAMPLES)
  public long nativeResize() {
    return run();
  }
}
