package io.sluice.loader.dl4j;

import io.sluice.loader.DataLoader;
import io.sluice.loader.LoaderStats;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J training listener that reports, every {@code frequency} iterations, how the time went: waiting for
 * the loader's data versus everything else (compute).
 *
 * <pre>{@code
 * model.setListeners(new DataWaitListener(loader, 100));
 * }</pre>
 *
 * <p>A line reads like {@code iterations 100-199: 12.3 s, data wait 0.4 s (3.3%), compute 11.9 s, 520 samples/s,
 * GET p50 31.0 ms p99 48.2 ms}. A wait share near zero means the loader keeps up with the model.
 */
public final class DataWaitListener extends BaseTrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(DataWaitListener.class);

  private final DataLoader loader;
  private final int frequency;
  private final Consumer<String> sink;
  private LoaderStats last;
  private int lastIteration = -1;
  private volatile String lastReport;

  /** Reports through SLF4J at INFO every {@code frequency} iterations. */
  public DataWaitListener(DataLoader loader, int frequency) {
    this(loader, frequency, LOG::info);
  }

  /**
   * Reports to {@code sink} every {@code frequency} iterations.
   *
   * @throws IllegalArgumentException if {@code frequency} is not positive
   */
  public DataWaitListener(DataLoader loader, int frequency, Consumer<String> sink) {
    this.loader = Objects.requireNonNull(loader, "loader");
    if (frequency <= 0) {
      throw new IllegalArgumentException("frequency must be positive, was " + frequency);
    }
    this.frequency = frequency;
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    if (last == null) {
      last = loader.stats();
      lastIteration = iteration;
      return;
    }
    if (iteration - lastIteration < frequency) {
      return;
    }
    LoaderStats now = loader.stats();
    LoaderStats d = now.since(last);
    double seconds = d.elapsedNanos() / 1e9;
    double wait = d.waitNanos() / 1e9;
    String report = String.format(Locale.ROOT,
        "iterations %d-%d: %.1f s, data wait %.2f s (%.1f%%), compute %.2f s, %.0f samples/s, GET p50 %.1f ms p99 %.1f ms",
        lastIteration + 1, iteration, seconds, wait, d.waitFraction() * 100, seconds - wait, d.samplesPerSecond(),
        d.getLatency().p50().toNanos() / 1e6, d.getLatency().p99().toNanos() / 1e6);
    lastReport = report;
    sink.accept(report);
    last = now;
    lastIteration = iteration;
  }

  /** The most recent report, or {@code null} before the first. */
  public String lastReport() {
    return lastReport;
  }
}
