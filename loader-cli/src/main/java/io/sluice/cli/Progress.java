package io.sluice.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars (me.tongfei progressbar: rate and ETA) on the error stream, so standard output holds only
 * results. On a terminal the bar is redrawn in place; otherwise (a log, a pipe, a test) only its final state is
 * written, once, when it closes.
 */
final class Progress {
  private Progress() {}

  /**
   * A bar for {@code task}; close it when done.
   *
   * @param total the amount of work, or -1 when unknown (the bar then counts and shows the rate)
   * @param unit what is counted, e.g. " img"
   */
  static ProgressBar start(String task, long total, String unit, PrintStream err) {
    ProgressBarConsumer consumer = System.console() != null && err == System.err
        ? new ConsoleProgressBarConsumer(err) : new FinalState(err);
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(unit, 1)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).showSpeed().setConsumer(consumer).build();
  }

  /** Keeps the latest rendering and writes it once, at the end. */
  private static final class FinalState implements ProgressBarConsumer {
    private final PrintStream err;
    private String last;

    FinalState(PrintStream err) {
      this.err = err;
    }

    @Override
    public int getMaxRenderedLength() {
      return 100;
    }

    @Override
    public synchronized void accept(String rendered) {
      last = rendered;
    }

    @Override
    public synchronized void close() {
      if (last != null) {
        err.println(last.stripTrailing());
        err.flush();
      }
    }
  }
}
