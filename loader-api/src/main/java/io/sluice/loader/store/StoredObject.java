package io.sluice.loader.store;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The bytes of one object and what the store said about them.
 *
 * <p>The byte array is owned by this object and must not be modified by readers.
 */
public final class StoredObject {
  private final String uri;
  private final byte[] bytes;
  private final String etag;
  private final String versionId;

  /**
   * Creates a stored object.
   *
   * @param uri where it was read from
   * @param bytes its whole content (not copied)
   * @param etag the ETag without quotes, or {@code null}
   * @param versionId the version id, or {@code null}
   */
  public StoredObject(String uri, byte[] bytes, String etag, String versionId) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    this.etag = etag;
    this.versionId = versionId;
  }

  /** The URI this object was read from. */
  public String uri() {
    return uri;
  }

  /** The object's content. Do not modify. */
  public byte[] bytes() {
    return bytes;
  }

  /** The content as a read-only buffer. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** The size in bytes. */
  public int size() {
    return bytes.length;
  }

  /** The ETag without quotes, or {@code null}. */
  public String etag() {
    return etag;
  }

  /** The version id, or {@code null}. */
  public String versionId() {
    return versionId;
  }

  @Override
  public String toString() {
    return "StoredObject{" + uri + ", " + bytes.length + " bytes" + (etag == null ? "" : ", etag=" + etag) + "}";
  }
}
