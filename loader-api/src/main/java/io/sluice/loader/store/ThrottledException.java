package io.sluice.loader.store;

import io.sluice.loader.SluiceException;

/**
 * The store asked us to slow down (S3's 503 SlowDown, HTTP 429, a throttling error code).
 *
 * <p>Always retryable. Adaptive concurrency limits back off when they see it.
 */
public class ThrottledException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception for a throttled request on {@code uri}. */
  public ThrottledException(String message, String uri, Throwable cause) {
    super(message, uri, true, cause);
  }
}
