package io.sluice.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.testing.FaultyStore;
import io.sluice.loader.testing.SyntheticDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters of a real loader reading an in-memory store, checked against its own stats. */
class LoaderMetricsTest {
  private static final FetchPolicy FAST = FetchPolicy.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(4))
      .build();

  private static InMemoryObjectStore storeOf(SyntheticDataset data) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    data.objects().forEach(store::put);
    return store;
  }

  private static long readEpoch(DataLoader loader, int epoch) {
    long samples = 0;
    try (BatchIterator it = loader.epoch(epoch)) {
      while (it.hasNext()) {
        Batch b = it.next();
        samples += b.size();
      }
    }
    return samples;
  }

  private static double counter(MeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  @Test
  void countersFollowTheLoadersStatsThroughRetriesAndTheCache() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 240, 3);
    FaultyStore faulty = new FaultyStore(storeOf(data), 7, 0.1, 0.05, 0, 0);
    MeterRegistry registry = new SimpleMeterRegistry();
    try (ObjectCache cache = ObjectCache.memory(1 << 20);
        DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(faulty)
            .transform(SyntheticDataset.identify()).batchSize(16).seed(1).fetchPolicy(FAST).cache(cache).build()) {
      LoaderMetrics.of(loader, Tags.of("job", "test")).bindTo(registry);
      assertEquals(0, counter(registry, "sluice.loader.samples"), "nothing read yet");

      assertEquals(240, readEpoch(loader, 0));
      LoaderStats first = loader.stats();
      assertEquals(240, counter(registry, "sluice.loader.samples", "job", "test"));
      assertEquals(15, counter(registry, "sluice.loader.batches"));
      assertEquals(first.gets(), counter(registry, "sluice.loader.gets"));
      assertEquals(first.bytes(), counter(registry, "sluice.loader.bytes"));
      assertTrue(first.retries() > 0 && first.throttled() > 0, "the faulty store made the loader retry: " + first);
      assertEquals(first.retries(), counter(registry, "sluice.loader.retries"));
      assertEquals(first.throttled(), counter(registry, "sluice.loader.throttled"));
      assertEquals(first.hedges(), counter(registry, "sluice.loader.hedges"));
      assertEquals(240, counter(registry, "sluice.loader.cache", "result", "miss"), "every object missed once");
      assertEquals(0, counter(registry, "sluice.loader.cache", "result", "hit"));

      assertEquals(240, readEpoch(loader, 1));
      LoaderStats second = loader.stats();
      assertEquals(480, counter(registry, "sluice.loader.samples"));
      assertEquals(240, counter(registry, "sluice.loader.cache", "result", "hit"), "epoch 1 came from the cache");
      assertEquals(first.gets(), second.gets(), "and sent no GET");
      assertEquals(second.gets(), counter(registry, "sluice.loader.gets"));

      FunctionTimer wait = registry.get("sluice.loader.data.wait").functionTimer();
      assertEquals(second.waitLatency().count(), (long) wait.count());
      assertEquals(30, (long) wait.count(), "one wait per batch");
      assertEquals(second.waitNanos(), wait.totalTime(TimeUnit.NANOSECONDS), 1.0);
      assertEquals(second.getLatency().p99().toNanos(),
          registry.get("sluice.loader.get.latency").tag("quantile", "0.99").timeGauge().value(TimeUnit.NANOSECONDS),
          1.0);
      assertEquals(second.concurrencyLimit(), registry.get("sluice.loader.concurrency.limit").gauge().value());
      assertTrue(second.concurrencyLimit() > 0);
      assertEquals(0, registry.get("sluice.loader.in.flight").gauge().value(), "nothing in flight between epochs");
      assertEquals(second.batchBuffersMapped() + second.batchBuffersReused(),
          counter(registry, "sluice.loader.batch.buffers", "memory", "mapped")
              + counter(registry, "sluice.loader.batch.buffers", "memory", "reused"));
    }
  }

  @Test
  void prometheusScrapeNamesEveryFigure() throws IOException {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 50, 2);
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(storeOf(data))
        .transform(SyntheticDataset.identify()).batchSize(10).seed(1).build()) {
      // README:begin
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      LoaderMetrics.of(loader, Tags.of("job", "resnet50", "rank", "0")).bindTo(registry);
      // serve registry.scrape() on your /metrics endpoint
      // README:end
      assertEquals(50, readEpoch(loader, 0));
      String scrape = registry.scrape();
      String tags = "job=\"resnet50\",rank=\"0\"";
      for (String line : new String[] {"sluice_loader_samples_total{" + tags + "} 50.0",
          "sluice_loader_batches_total{" + tags + "} 5.0", "sluice_loader_gets_total{" + tags + "} 50.0",
          "sluice_loader_data_wait_seconds_count{" + tags + "} 5", "sluice_loader_concurrency_limit{" + tags + "} ",
          "sluice_loader_get_latency_seconds{job=\"resnet50\",quantile=\"0.99\",rank=\"0\"} ",
          "sluice_loader_cache_total{" + tags + ",result=\"miss\"} 0.0", "sluice_loader_bytes_total{" + tags + "} ",
          "sluice_loader_in_flight{" + tags + "} 0.0", "sluice_loader_bytes_in_flight_bytes{" + tags + "} 0.0",
          "sluice_loader_retries_total{" + tags + "} 0.0"}) {
        assertTrue(scrape.contains(line), "expected '" + line + "' in\n" + scrape);
      }
    }
  }

  @Test
  void readmeShowsTheCompiledSnippet() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> source = Files.readAllLines(root.resolve(
        "loader-micrometer/src/test/java/io/sluice/micrometer/LoaderMetricsTest.java"));
    List<String> snippet = source.subList(source.indexOf("      // README:begin") + 1,
        source.indexOf("      // README:end")).stream().map(String::strip).toList();
    List<String> readme = Files.readAllLines(root.resolve("README.md"));
    int section = readme.indexOf("## Metrics: Micrometer");
    assertTrue(section > 0, "README has a Micrometer section");
    int open = readme.subList(section, readme.size()).indexOf("```java") + section;
    assertEquals(snippet, readme.subList(open + 1, open + 1 + snippet.size()), "README's snippet is this test's");
    assertEquals("```", readme.get(open + 1 + snippet.size()));
  }
}
