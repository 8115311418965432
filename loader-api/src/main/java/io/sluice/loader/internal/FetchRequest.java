package io.sluice.loader.internal;

import io.sluice.loader.store.ObjectRef;
import java.util.Objects;

/**
 * What a fetch layer is asked for: a whole object, or {@code length} bytes of it from {@code offset}.
 *
 * @param length the byte count, or -1 for the whole object
 */
public record FetchRequest(ObjectRef ref, long offset, long length) {

  /** Validates the fields. */
  public FetchRequest {
    Objects.requireNonNull(ref, "ref");
    if (length < -1 || offset < 0 || (length == -1 && offset != 0)) {
      throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + ref.uri());
    }
  }

  /** The whole object. */
  public static FetchRequest whole(ObjectRef ref) {
    return new FetchRequest(ref, 0, -1);
  }

  /** Whether this asks for the whole object. */
  public boolean isWhole() {
    return length == -1;
  }

  /** The object's URI and, for a range, which bytes: for error messages. */
  public String describe() {
    return isWhole() ? ref.uri() : ref.uri() + " bytes " + offset + "-" + (offset + length - 1);
  }
}
