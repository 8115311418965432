package io.sluice.benchmarks.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.JpegDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * W1, the Sluice chain against the libjpeg-turbo C ceiling, measured in alternating rounds so that both see the
 * same machine: on a shared machine the ratio of paired rounds is steadier than either figure alone.
 *
 * <pre>
 * cd /work/main
 * mvn -B -o -q install -DskipTests -pl loader-api,loader-transforms
 * mvn -B -o -q package -pl benchmarks -DskipTests
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.transforms.W1Comparison [rounds] [seconds]
 * </pre>
 *
 * <p>Each round runs the Java chain (javax.imageio decoder) on 1 thread, then the C program on 1 thread, then
 * both on 2 threads, each for about {@code seconds} (default 5) after a warm-up round; it prints every pair and
 * the medians. See {@link W1TransformBenchmark} for the same figures under JMH.
 */
public final class W1Comparison {
  private W1Comparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    List<byte[]> jpegs = W1Images.jpegs(W1TransformBenchmark.IMAGES);
    StoredObject[] objects = W1TransformBenchmark.objects(jpegs);
    Transform<StoredObject, Features> chain = W1TransformBenchmark.chain(JpegDecoder.IMAGE_IO);
    Path dir = Files.createTempDirectory("sluice-w1-ceiling");
    LibjpegTurboCeiling ceiling = LibjpegTurboCeiling.compile(dir, jpegs);
    System.out.println("W1: " + jpegs.size() + " JPEGs of " + W1Images.WIDTH + "x" + W1Images.HEIGHT + ", mean "
        + jpegs.stream().mapToInt(b -> b.length).sum() / jpegs.size() + " bytes; " + Runtime.getRuntime()
        .availableProcessors() + " processors; " + System.getProperty("java.vm.vendor") + " "
        + System.getProperty("java.version"));
    System.out.println("chain: " + chain);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      java(pool, chain, objects, 1, seconds); // warm-up
      java(pool, chain, objects, 2, seconds);
      ceiling.run(2, 256);
      double[][] ratios = new double[3][rounds];
      double[][] javaRates = new double[3][rounds];
      double[][] cRates = new double[3][rounds];
      for (int round = 0; round < rounds; round++) {
        for (int threads = 1; threads <= 2; threads++) {
          double j = java(pool, chain, objects, threads, seconds);
          double c = ceiling.run(threads, Math.max(threads * 64, (long) (j * seconds * 1.1)));
          javaRates[threads][round] = j;
          cRates[threads][round] = c;
          ratios[threads][round] = j / c;
          System.out.printf(Locale.ROOT, "round %d, %d thread%s: Sluice %7.1f img/s, libjpeg-turbo C %7.1f img/s,"
              + " ratio %5.1f%%%n", round + 1, threads, threads == 1 ? " " : "s", j, c, 100 * j / c);
        }
      }
      for (int threads = 1; threads <= 2; threads++) {
        System.out.printf(Locale.ROOT, "median, %d thread%s: Sluice %7.1f img/s, libjpeg-turbo C %7.1f img/s,"
            + " ratio of pairs %5.1f%%%n", threads, threads == 1 ? " " : "s", median(javaRates[threads]),
            median(cRates[threads]), 100 * median(ratios[threads]));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs the chain on {@code threads} threads for about {@code seconds}; returns images per second. */
  static double java(ExecutorService pool, Transform<StoredObject, Features> chain, StoredObject[] objects,
      int threads, double seconds) throws Exception {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    List<Future<Integer>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      parts.add(pool.submit(() -> {
        int size = 3 * W1TransformBenchmark.SIZE * W1TransformBenchmark.SIZE;
        FloatBuffer batch = ByteBuffer.allocateDirect(W1TransformBenchmark.BATCH * size * Float.BYTES)
            .order(ByteOrder.nativeOrder()).asFloatBuffer();
        int done = 0;
        for (int index = first; System.nanoTime() < deadline; index += threads, done++) {
          StoredObject object = objects[index % objects.length];
          SampleContext context = SampleContext.of(object.uri(), index, 0,
              new SplittableRandom(index * 0x9E3779B97F4A7C15L));
          Features features = chain.apply(object, context);
          int slot = (done % W1TransformBenchmark.BATCH) * size;
          features.writeTo(batch.duplicate().position(slot).limit(slot + size).slice());
        }
        return done;
      }));
    }
    int done = 0;
    for (Future<Integer> part : parts) {
      done += part.get();
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
