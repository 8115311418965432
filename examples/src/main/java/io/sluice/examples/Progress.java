package io.sluice.examples;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars with rate and ETA (me.tongfei progressbar). On a terminal the bar is redrawn in place; otherwise
 * (a log, a pipe, a test) its final state is written once, when it closes.
 */
final class Progress {
  private Progress() {}

  /** A bar for {@code total} items of {@code task}; close it when done. */
  static ProgressBar start(PrintStream out, String task, long total) {
    ProgressBarConsumer consumer = System.console() != null && out == System.out
        ? new ConsoleProgressBarConsumer(out) : new FinalState(out);
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200).showSpeed().setConsumer(consumer).build();
  }

  /** Keeps the latest rendering and writes it once, at the end. */
  private static final class FinalState implements ProgressBarConsumer {
    private final PrintStream out;
    private String last;

    FinalState(PrintStream out) {
      this.out = out;
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
        out.println(last.stripTrailing());
      }
    }
  }
}
