package io.sluice.loader;

/**
 * The root of every exception Sluice throws.
 *
 * <p>Unchecked. Each one says which object or manifest line it is about (where there is one) and whether
 * trying again could help.
 */
public class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final boolean retryable;

  /**
   * Creates an exception about {@code key} (may be {@code null} when no object is involved).
   *
   * @param message what went wrong; should name the key or line and the cause
   * @param key the object key or URI involved, or {@code null}
   * @param retryable whether a later attempt could succeed
   * @param cause the underlying cause, or {@code null}
   */
  public SluiceException(String message, String key, boolean retryable, Throwable cause) {
    super(message, cause);
    this.key = key;
    this.retryable = retryable;
  }

  /** Creates a non-retryable exception with no key. */
  public SluiceException(String message) {
    this(message, null, false, null);
  }

  /** Creates a non-retryable exception with no key. */
  public SluiceException(String message, Throwable cause) {
    this(message, null, false, cause);
  }

  /** The object key or URI this is about, or {@code null} if none. */
  public String key() {
    return key;
  }

  /** Whether a later attempt could succeed (throttling, a reset connection); false for a missing key. */
  public boolean retryable() {
    return retryable;
  }
}
