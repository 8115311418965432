package io.sluice.cli;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.manifest.Manifest;
import io.sluice.transforms.Images;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice bench}: will my data keep my GPU busy? */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Read a manifest through a chain from its store, as training would, and print images/s, GET "
        + "latency, retries, and the time a trainer of the given speed waits for data.", "",
        "The loader decodes, runs the chain and batches into float32 NCHW tensors scaled to [0, 1]. A stand-in "
            + "trainer takes each batch and then spends --trainer-ms on it (measure your model's time per batch "
            + "and pass it), so the data wait printed is the one your training would see."})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SampleOptions sample;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "samples per batch (default 64)")
  int batch;

  @Option(names = "--batches", paramLabel = "N",
      description = "batches to read per epoch (default: the whole epoch)")
  Integer batches;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "epochs to read (default 1)")
  int epochs;

  @Option(names = "--trainer-ms", paramLabel = "MS", defaultValue = "0",
      description = "the stand-in trainer's time per batch, in milliseconds (default 0: as fast as the data comes)")
  double trainerMillis;

  @Option(names = "--max-in-flight", paramLabel = "N",
      description = "a fixed limit on objects fetched at once (default: the loader's adaptive limit)")
  Integer maxInFlight;

  @Option(names = "--workers", paramLabel = "N", description = "transform threads (default: one per core)")
  Integer workers;

  @Option(names = "--chart", paramLabel = "FILE",
      description = "also write a PNG of where the time went: data wait vs compute per epoch, GET latency")
  Path chart;

  @Override
  public Integer call() throws IOException, InterruptedException {
    sample.check(spec);
    positive(batch, "--batch");
    positive(epochs, "--epochs");
    if (batches != null) {
      positive(batches, "--batches");
    }
    if (maxInFlight != null) {
      positive(maxInFlight, "--max-in-flight");
    }
    if (workers != null) {
      positive(workers, "--workers");
    }
    if (!(trainerMillis >= 0 && trainerMillis <= 600_000)) {
      throw new ParameterException(spec.commandLine(), "option --trainer-ms must be 0 to 600000, was "
          + trainerMillis);
    }
    PrintStream out = Main.out(spec);
    try (S3Connection s3 = sample.s3Options.connect()) {
      Manifest manifest = sample.read(s3);
      DataLoader.Builder builder = DataLoader.builder().manifest(manifest).store(s3.storeFor(manifest))
          .channel(sample.channel)
          .transform(Images.decode(sample.channels).andThen(sample.chain.steps())
              .andThen(Images.imageToTensor(1 / 255f)))
          .batchSize(batch).seed(sample.seed);
      if (maxInFlight != null) {
        builder.maxInFlight(maxInFlight);
      }
      if (workers != null) {
        builder.workers(workers);
      }
      try (DataLoader loader = builder.build()) {
        int perEpoch = batches == null ? loader.batchesPerEpoch() : Math.min(batches, loader.batchesPerEpoch());
        long expected = Math.min((long) perEpoch * batch, manifest.size()) * epochs;
        out.printf(Locale.ROOT, "Reading %s (%s, %d entries): %d epoch(s) of %d batches of %d; chain decode(%d), "
            + "%s, imageToTensor; trainer %s ms per batch%n", sample.location, sample.channel, manifest.size(),
            epochs, perEpoch, batch, sample.channels, sample.chain, number(trainerMillis));
        List<TimeChart.Epoch> figures = new ArrayList<>();
        Nd4j.zeros(1); // load the ND4J backend before the clock starts: it is a one-off cost of the process
        LoaderStats start = loader.stats();
        LoaderStats afterFirst = null;
        try (ProgressBar bar = Progress.start("bench", expected, " img", Main.err(spec))) {
          for (int e = 0; e < epochs; e++) {
            int epoch = sample.epoch + e;
            LoaderStats before = loader.stats();
            try (BatchIterator it = loader.epoch(epoch)) {
              for (int b = 0; b < perEpoch && it.hasNext(); b++) {
                Batch next = it.next();
                if (afterFirst == null) {
                  afterFirst = loader.stats();
                }
                bar.stepBy(next.size() - next.pads());
                train();
              }
            }
            LoaderStats one = loader.stats().since(before);
            figures.add(new TimeChart.Epoch(epoch, one.waitNanos() / 1e9, (one.elapsedNanos() - one.waitNanos()) / 1e9,
                one.getLatency().p50().toNanos() / 1e6, one.getLatency().p99().toNanos() / 1e6));
            if (epochs > 1) {
              out.printf(Locale.ROOT, "  epoch %d: %.0f img/s, waited %.1f%% of %.2f s%n", epoch,
                  one.samplesPerSecond(), one.waitFraction() * 100, one.elapsedNanos() / 1e9);
            }
          }
        }
        LoaderStats end = loader.stats();
        report(out, end.since(start), afterFirst == null ? null : afterFirst.since(start), end.since(afterFirst));
        if (chart != null) {
          TimeChart.write(chart, "Where the time went: " + sample.location, figures);
          out.printf(Locale.ROOT, "chart      %s%n", chart);
        }
      }
      return 0;
    }
  }

  private void train() throws InterruptedException {
    if (trainerMillis > 0) {
      long nanos = (long) (trainerMillis * 1e6);
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  }

  /**
   * Prints the run's figures: reading over the whole run, waiting after the first batch (the first one pays for
   * starting the pipeline, once per process).
   */
  private void report(PrintStream out, LoaderStats all, LoaderStats first, LoaderStats s) {
    out.printf(Locale.ROOT, "read       %d images in %d batches in %.2f s: %.0f img/s%n", all.samples(),
        all.batches(), all.elapsedNanos() / 1e9, all.samplesPerSecond());
    out.printf(Locale.ROOT, "GETs       %d, %s; latency p50 %s, p99 %s%n", all.gets(),
        StatsCommand.human(all.bytes()), millis(all.getLatency().p50().toNanos()),
        millis(all.getLatency().p99().toNanos()));
    out.printf(Locale.ROOT, "failures   %d retries, %d throttled (503 SlowDown / 429), %d hedged GETs, %d skipped%n",
        all.retries(), all.throttled(), all.hedges(), all.skipped());
    if (first != null) {
      out.printf(Locale.ROOT, "first      batch after %.2f s (starting the pipeline; not counted below)%n",
          first.elapsedNanos() / 1e9);
    }
    if (s.batches() == 0) {
      return;
    }
    double seconds = s.elapsedNanos() / 1e9;
    out.printf(Locale.ROOT, "after it   %.0f img/s%n", s.samplesPerSecond());
    out.printf(Locale.ROOT, "data wait  %.2f s of %.2f s (%.1f%%); per batch p50 %s, p99 %s%n", s.waitNanos() / 1e9,
        seconds, s.waitFraction() * 100, millis(s.waitLatency().p50().toNanos()),
        millis(s.waitLatency().p99().toNanos()));
    if (trainerMillis == 0) {
      double perBatch = s.batches() == 0 ? 0 : s.elapsedNanos() / 1e6 / s.batches();
      out.printf(Locale.ROOT, "verdict    the data path delivers a batch every %.1f ms: a trainer that needs longer "
          + "than that per batch will rarely wait (measure with --trainer-ms)%n", perBatch);
    } else if (s.waitFraction() < 0.05) {
      out.printf(Locale.ROOT, "verdict    the data keeps a %s ms/batch trainer busy: it waited %.1f%% of the time%n",
          number(trainerMillis), s.waitFraction() * 100);
    } else {
      out.printf(Locale.ROOT, "verdict    a %s ms/batch trainer waits for data %.1f%% of the time: the data path is "
          + "the bottleneck at this speed%n", number(trainerMillis), s.waitFraction() * 100);
    }
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private void positive(int value, String option) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), "option " + option + " must be 1 or more, was " + value);
    }
  }
}
