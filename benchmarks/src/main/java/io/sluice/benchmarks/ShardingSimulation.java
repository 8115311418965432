package io.sluice.benchmarks;

import io.sluice.loader.EpochPlan;
import io.sluice.loader.Remainder;
import io.sluice.loader.Sampler;
import io.sluice.loader.Sharding;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Simulates one epoch of 1M samples over 1024 ranks and reports how evenly each sharding strategy splits
 * samples and bytes. Pure computation: no store, no threads.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.ShardingSimulation [samples] [ranks]
 * </pre>
 */
public final class ShardingSimulation {
  private ShardingSimulation() {}

  public static void main(String[] args) {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int ranks = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    Manifest manifest = manifest(samples, 7);
    System.out.printf(Locale.ROOT, "%d samples, %d ranks, object sizes log-uniform in [10 KB, 1 MB)%n", samples, ranks);
    System.out.println("strategy       remainder  samples/rank min..max  imbalance  bytes/rank min..max (MB)  byte imbalance  time");
    for (Sharding sharding : List.of(Sharding.byKey(), Sharding.byteBalanced())) {
      for (Remainder remainder : Remainder.values()) {
        long start = System.nanoTime();
        EpochPlan[] plans = EpochPlan.computeAll(manifest, Sampler.shuffled(), sharding, remainder, 42, 0, ranks, 0);
        long nanos = System.nanoTime() - start;
        int minCount = Integer.MAX_VALUE;
        int maxCount = 0;
        long minBytes = Long.MAX_VALUE;
        long maxBytes = 0;
        long totalBytes = 0;
        for (EpochPlan p : plans) {
          minCount = Math.min(minCount, p.size());
          maxCount = Math.max(maxCount, p.size());
          long bytes = 0;
          for (int i : p.indices()) {
            bytes += manifest.objectSize(i);
          }
          totalBytes += bytes;
          minBytes = Math.min(minBytes, bytes);
          maxBytes = Math.max(maxBytes, bytes);
        }
        double mean = (double) totalBytes / ranks;
        System.out.printf(Locale.ROOT, "%-14s %-9s  %8d..%-8d  %9d  %10.1f..%-10.1f  %12.3f%%  %5.0f ms%n", sharding,
            remainder, minCount, maxCount, maxCount - minCount, minBytes / 1e6, maxBytes / 1e6,
            (maxBytes - minBytes) / mean * 100, nanos / 1e6);
      }
    }
  }

  static Manifest manifest(int n, long seed) {
    Manifest.Builder b = Manifest.builder("s3://bucket/", LabelMap.sorted(List.of("c")));
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      long size = (long) Math.exp(Math.log(10_000) + r.nextDouble() * (Math.log(1_000_000) - Math.log(10_000)));
      b.add("c/" + i, 0, size, null, null);
    }
    return b.build();
  }
}
