package io.sluice.transforms;

import java.io.IOException;

/**
 * An image whose bytes are broken; the message says how. Turned into a keyed error by the decode step, so users
 * see it only as the cause of a {@code SluiceException}; a {@link JpegCodec} throws it.
 */
public final class MalformedImageException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception saying what is broken, e.g. {@code truncated or corrupt jpeg data}.
   *
   * @param reason what is wrong with the bytes
   */
  public MalformedImageException(String reason) {
    super(reason);
  }
}
