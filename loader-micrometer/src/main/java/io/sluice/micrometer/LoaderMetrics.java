package io.sluice.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.loader.DataLoader;
import io.sluice.loader.LoaderStats;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes what a {@link DataLoader} has done ({@link DataLoader#stats()}) as Micrometer meters, so a training
 * job's data path shows on the same dashboard as its loss.
 *
 * <pre>{@code
 * LoaderMetrics.of(loader, Tags.of("job", "resnet50")).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter reads a fresh {@link LoaderStats} snapshot when the registry publishes; nothing is counted twice
 * and the loader's hot path is untouched. Counters are totals since the loader was built (rate them on the
 * dashboard); {@code sluice.loader.get.latency} quantiles cover the same span. The meters hold the loader weakly,
 * like Micrometer's own binders: once it is garbage collected they read {@code NaN}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>sluice.loader.samples</td><td>counter</td><td>samples delivered in batches</td></tr>
 *   <tr><td>sluice.loader.batches</td><td>counter</td><td>batches delivered</td></tr>
 *   <tr><td>sluice.loader.skipped</td><td>counter</td><td>samples skipped under FailurePolicy.skip</td></tr>
 *   <tr><td>sluice.loader.gets</td><td>counter</td><td>GET requests (retries, hedges and ranged parts
 *       included)</td></tr>
 *   <tr><td>sluice.loader.bytes</td><td>counter, bytes</td><td>object bytes received</td></tr>
 *   <tr><td>sluice.loader.retries</td><td>counter</td><td>requests re-sent after a failure</td></tr>
 *   <tr><td>sluice.loader.throttled</td><td>counter</td><td>requests answered with "slow down"</td></tr>
 *   <tr><td>sluice.loader.hedges</td><td>counter</td><td>second requests sent for slow GETs</td></tr>
 *   <tr><td>sluice.loader.cache</td><td>counter, tag result=hit|miss</td><td>cache look-ups</td></tr>
 *   <tr><td>sluice.loader.data.wait</td><td>function timer</td><td>each {@code next()}'s wait for its batch:
 *       count and total time</td></tr>
 *   <tr><td>sluice.loader.get.latency</td><td>time gauge, tag quantile=0.5|0.99</td><td>GET latency</td></tr>
 *   <tr><td>sluice.loader.in.flight</td><td>gauge</td><td>objects being fetched or transformed</td></tr>
 *   <tr><td>sluice.loader.bytes.in.flight</td><td>gauge, bytes</td><td>object bytes held, not yet
 *       transformed</td></tr>
 *   <tr><td>sluice.loader.concurrency.limit</td><td>gauge</td><td>the GET concurrency limit</td></tr>
 *   <tr><td>sluice.loader.batch.buffers</td><td>counter, tag memory=mapped|reused</td><td>batch tensors
 *       newly mapped or reusing pooled memory</td></tr>
 * </table>
 */
public final class LoaderMetrics implements MeterBinder {
  private final DataLoader loader;
  private final Tags tags;

  private LoaderMetrics(DataLoader loader, Iterable<Tag> tags) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  /** A binder for {@code loader}'s meters, untagged. */
  public static LoaderMetrics of(DataLoader loader) {
    return new LoaderMetrics(loader, Tags.empty());
  }

  /**
   * A binder for {@code loader}'s meters, each carrying {@code tags} (e.g. the job, or the rank: two loaders
   * bound to one registry need different tags).
   */
  public static LoaderMetrics of(DataLoader loader, Iterable<Tag> tags) {
    return new LoaderMetrics(loader, tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "sluice.loader.samples", "samples delivered in batches", null, LoaderStats::samples);
    counter(registry, "sluice.loader.batches", "batches delivered", null, LoaderStats::batches);
    counter(registry, "sluice.loader.skipped", "samples skipped under FailurePolicy.skip", null,
        LoaderStats::skipped);
    counter(registry, "sluice.loader.gets", "GET requests sent to the store (retries, hedges and ranged parts "
        + "included)", null, LoaderStats::gets);
    counter(registry, "sluice.loader.bytes", "object bytes received from the store", BaseUnits.BYTES,
        LoaderStats::bytes);
    counter(registry, "sluice.loader.retries", "requests re-sent after a failure", null, LoaderStats::retries);
    counter(registry, "sluice.loader.throttled", "requests the store answered with slow down (503, 429)", null,
        LoaderStats::throttled);
    counter(registry, "sluice.loader.hedges", "second requests sent for slow GETs", null, LoaderStats::hedges);
    FunctionCounter.builder("sluice.loader.cache", loader, l -> l.stats().cacheHits())
        .description("object cache look-ups").tags(tags).tag("result", "hit").register(registry);
    FunctionCounter.builder("sluice.loader.cache", loader, l -> l.stats().cacheMisses())
        .description("object cache look-ups").tags(tags).tag("result", "miss").register(registry);
    FunctionCounter.builder("sluice.loader.batch.buffers", loader, l -> l.stats().batchBuffersMapped())
        .description("batch tensors by where their memory came from").tags(tags).tag("memory", "mapped")
        .register(registry);
    FunctionCounter.builder("sluice.loader.batch.buffers", loader, l -> l.stats().batchBuffersReused())
        .description("batch tensors by where their memory came from").tags(tags).tag("memory", "reused")
        .register(registry);

    FunctionTimer.builder("sluice.loader.data.wait", loader, l -> l.stats().waitLatency().count(),
            l -> l.stats().waitNanos(), TimeUnit.NANOSECONDS)
        .description("how long the trainer's next() waited for its batch").tags(tags).register(registry);
    for (double q : new double[] {0.5, 0.99}) {
      TimeGauge.builder("sluice.loader.get.latency", loader, TimeUnit.NANOSECONDS,
              l -> l.stats().getLatency().percentile(q).toNanos())
          .description("GET latency since the loader was built").tags(tags).tag("quantile", Double.toString(q))
          .register(registry);
    }

    gauge(registry, "sluice.loader.in.flight", "objects being fetched or transformed", null, LoaderStats::inFlight);
    gauge(registry, "sluice.loader.bytes.in.flight", "object bytes held by the loader, not yet transformed",
        BaseUnits.BYTES, LoaderStats::bytesInFlight);
    gauge(registry, "sluice.loader.concurrency.limit", "the GET concurrency limit", null,
        LoaderStats::concurrencyLimit);
  }

  private void counter(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<LoaderStats> value) {
    FunctionCounter.builder(name, loader, l -> value.applyAsDouble(l.stats())).description(description)
        .baseUnit(unit).tags(tags).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<LoaderStats> value) {
    Gauge.builder(name, loader, l -> value.applyAsDouble(l.stats())).description(description).baseUnit(unit)
        .tags(tags).register(registry);
  }
}
