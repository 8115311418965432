package io.sluice.loader.internal;

import io.sluice.loader.SluiceException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** How the engine reads a failure: retryable or not, described for a message, unwrapped from futures. */
public final class FetchErrors {
  private FetchErrors() {}

  /** Whether another attempt could succeed: a {@link SluiceException} says so itself; I/O errors and timeouts can. */
  public static boolean retryable(Throwable cause) {
    if (cause instanceof SluiceException s) {
      return s.retryable();
    }
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The failure in words: our own message, else the exception's description. */
  public static String describe(Throwable cause) {
    return cause instanceof SluiceException ? cause.getMessage() : String.valueOf(cause);
  }

  /** The failure inside the futures' wrappers. */
  public static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
