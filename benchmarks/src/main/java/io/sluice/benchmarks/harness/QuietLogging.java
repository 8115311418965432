package io.sluice.benchmarks.harness;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Logback's default DEBUG console output down to WARN in a benchmark process: with no configuration file on
 * the class path, s3proxy and Jetty log every request at DEBUG, which costs more than the request itself.
 */
public final class QuietLogging {
  private QuietLogging() {}

  /** Sets the root logger to WARN when Logback is the SLF4J binding; does nothing otherwise. */
  public static void apply() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
