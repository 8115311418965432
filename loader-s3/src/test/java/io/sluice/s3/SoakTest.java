package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.testing.SyntheticDataset;
import io.sluice.s3.FaultProxy.Fault;
import io.sluice.s3.embedded.EmbeddedS3;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Soak: epochs under faults for {@code -Dsoak.minutes} (default 10), sampling heap after GC and the live
 * thread count; both must stay flat. Not part of the default build:
 *
 * <pre>
 * mvn -B verify -Psoak -pl loader-s3 -am -Dsoak.minutes=10
 * </pre>
 */
@Tag("soak")
class SoakTest {

  private static long liveHeap(List<MemoryPoolMXBean> pools) {
    return pools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
  }

  @Test
  void heapAndThreadsStayFlatUnderFaults() throws Exception {
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "10"));
    long end = System.nanoTime() + (long) (minutes * 60e9);
    SyntheticDataset data = new SyntheticDataset("s3://soak/d/", 2000, 10);
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null).toList();
    List<long[]> samples = new ArrayList<>(); // {seconds, heap after GC, threads, epochs}
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
      s3.createBucket("soak");
      TestBuckets.upload(s3, data.objects());
      long start = System.nanoTime();
      long nextSample = start;
      int epochs = 0;
      try (FaultProxy proxy = FaultProxy.builder(s3.endpoint()).seed(9).rate(Fault.SLOW_DOWN_503, 0.02)
          .rate(Fault.INTERNAL_ERROR_500, 0.01).rate(Fault.RESET_MID_BODY, 0.01).rate(Fault.TRUNCATED_BODY, 0.01)
          .rate(Fault.DRIP, 0.005).rate(Fault.LATENCY_SPIKE, 0.01).spike(300).drip(200).start()) {
        while (System.nanoTime() < end) {
          // A fresh store and loader every few epochs too: leaks in setup and close show up as well.
          try (S3ObjectStore store = S3ObjectStore.builder().endpoint(proxy.endpoint()).region(s3.region())
              .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).build();
               DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(store)
                   .transform(SyntheticDataset.identify()).batchSize(32).seed(epochs)
                   .fetchPolicy(FetchPolicy.builder().maxAttempts(10).hedgeAfter(Duration.ofMillis(200))
                       .backoff(Duration.ofMillis(5), Duration.ofMillis(100)).build()).build()) {
            for (int i = 0; i < 5 && System.nanoTime() < end; i++, epochs++) {
              try (BatchIterator it = loader.epoch(epochs)) {
                while (it.hasNext()) {
                  it.next();
                }
              }
              if (System.nanoTime() >= nextSample) {
                System.gc();
                samples.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, liveHeap(pools),
                    Thread.activeCount(), epochs});
                nextSample += 10_000_000_000L;
              }
            }
          }
        }
      }
    }
    System.out.println("soak: seconds, heap after GC (MB), live threads, epochs");
    for (long[] s : samples) {
      System.out.printf(Locale.ROOT, "soak: %5d  %7.1f  %4d  %5d%n", s[0], s[1] / 1e6, s[2], s[3]);
    }
    int third = Math.max(1, samples.size() / 3);
    long firstHeap = samples.subList(0, third).stream().mapToLong(s -> s[1]).max().orElseThrow();
    long lastHeap = samples.subList(samples.size() - third, samples.size()).stream().mapToLong(s -> s[1]).max()
        .orElseThrow();
    long firstThreads = samples.subList(0, third).stream().mapToLong(s -> s[2]).max().orElseThrow();
    long lastThreads = samples.subList(samples.size() - third, samples.size()).stream().mapToLong(s -> s[2]).max()
        .orElseThrow();
    System.out.printf(Locale.ROOT, "soak: heap %.1f -> %.1f MB, threads %d -> %d%n", firstHeap / 1e6, lastHeap / 1e6,
        firstThreads, lastThreads);
    assertTrue(lastHeap <= firstHeap * 1.5 + (32 << 20), "heap after GC grew from " + firstHeap + " to " + lastHeap);
    assertTrue(lastThreads <= firstThreads + 4, "threads grew from " + firstThreads + " to " + lastThreads);
  }
}
