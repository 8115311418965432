package io.sluice.loader.manifest;

import io.sluice.loader.SluiceException;

/** A manifest that cannot be read or used: names the source, the line (and column where known) and the cause. */
public class ManifestException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;

  /**
   * Creates an exception about {@code source} at {@code line} ({@code 0} or less when no line applies).
   *
   * @param source the manifest's file name or URI
   * @param line the 1-based line, or {@code 0}
   * @param column the 1-based column, or {@code 0}
   * @param problem what is wrong and what was expected
   */
  public ManifestException(String source, long line, long column, String problem) {
    this(source, line, column, problem, null);
  }

  /** As {@link #ManifestException(String, long, long, String)}, with a cause. */
  public ManifestException(String source, long line, long column, String problem, Throwable cause) {
    super(location(source, line, column) + ": " + problem, source, false, cause);
    this.source = source;
    this.line = line;
  }

  private static String location(String source, long line, long column) {
    if (line <= 0) {
      return source;
    }
    return source + ":" + line + (column > 0 ? ":" + column : "");
  }

  /** The manifest's file name or URI. */
  public String source() {
    return source;
  }

  /** The 1-based line the problem is on, or {@code 0} when it is not about one line. */
  public long line() {
    return line;
  }
}
