package io.sluice.loader.store;

import java.util.Objects;

/**
 * What a listing says about one object.
 *
 * @param uri the object's full URI
 * @param size its size in bytes
 * @param etag its ETag without quotes, or {@code null} if the store has none
 */
public record ObjectInfo(String uri, long size, String etag) {

  /** Validates the record. */
  public ObjectInfo {
    Objects.requireNonNull(uri, "uri");
  }
}
