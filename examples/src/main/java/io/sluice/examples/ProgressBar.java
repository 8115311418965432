package io.sluice.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar with rate and ETA: on a terminal one line redrawn in place at most ten times a second;
 * otherwise (a log, a pipe) a new line at every tenth of the way.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final long start = System.nanoTime();
  private final boolean terminal;
  private long lastDraw;
  private long lastTenth = -1;

  ProgressBar(PrintStream out, String label, long total) {
    this(out, label, total, System.console() != null);
  }

  ProgressBar(PrintStream out, String label, long total, boolean terminal) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.terminal = terminal;
  }

  /** Redraws for {@code done} items finished, if enough time passed since the last draw (or at the end). */
  synchronized void update(long done) {
    long now = System.nanoTime();
    if (!terminal) {
      long tenth = total == 0 ? 10 : done * 10 / total;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        out.println(line(done, now - start).stripTrailing());
      }
      return;
    }
    if (done < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    out.print('\r' + line(done, now - start));
    if (done >= total) {
      out.println();
    }
    out.flush();
  }

  String line(long done, long elapsedNanos) {
    double seconds = elapsedNanos / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    String eta = done >= total ? String.format(Locale.ROOT, "done in %.1fs", seconds)
        : rate > 0 ? String.format(Locale.ROOT, "ETA %.1fs", (total - done) / rate) : "ETA ?";
    return String.format(Locale.ROOT, "%-10s [%s] %5d/%d  %7.0f/s  %s   ", label, bar, done, total, rate, eta);
  }
}
