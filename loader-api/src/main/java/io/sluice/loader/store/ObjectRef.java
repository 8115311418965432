package io.sluice.loader.store;

import java.util.Objects;

/**
 * A reference to one object: its URI and, where known, what it is expected to be.
 *
 * <p>{@code size} is {@code -1} when unknown; {@code etag} and {@code versionId} are {@code null} when
 * unknown. Stores may use the expectations to pin a read to an exact version.
 *
 * @param uri where the object lives, e.g. {@code s3://bucket/cats/001.jpg} or {@code file:/data/cats/001.jpg}
 * @param size the expected size in bytes, or {@code -1}
 * @param etag the expected ETag (without quotes), or {@code null}
 * @param versionId the expected version id, or {@code null}
 */
public record ObjectRef(String uri, long size, String etag, String versionId) {

  /** Validates the reference. */
  public ObjectRef {
    Objects.requireNonNull(uri, "uri");
    if (uri.isEmpty()) {
      throw new IllegalArgumentException("uri must not be empty");
    }
    if (size < -1) {
      throw new IllegalArgumentException("size must be -1 (unknown) or >= 0, was " + size);
    }
  }

  /** A reference with nothing but a URI. */
  public static ObjectRef of(String uri) {
    return new ObjectRef(uri, -1, null, null);
  }
}
