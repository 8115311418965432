package io.sluice.transforms;

import java.io.IOException;

/** An image whose bytes are broken; the message says how. Turned into a keyed error by the decode step. */
final class MalformedImageException extends IOException {
  private static final long serialVersionUID = 1L;

  MalformedImageException(String reason) {
    super(reason);
  }
}
