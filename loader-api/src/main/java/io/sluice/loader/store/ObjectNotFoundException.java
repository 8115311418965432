package io.sluice.loader.store;

import io.sluice.loader.SluiceException;

/** Thrown (usually as the cause of a failed future) when an object does not exist in its store. */
public class ObjectNotFoundException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception for the object at {@code uri}. */
  public ObjectNotFoundException(String uri, Throwable cause) {
    super("object not found: " + uri, uri, false, cause);
  }
}
