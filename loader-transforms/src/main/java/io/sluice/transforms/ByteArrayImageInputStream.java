package io.sluice.transforms;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@code ImageInputStream} over a byte array, read in place: no cache, no copy of the whole array.
 * Not thread-safe, like every {@code ImageInputStream}.
 *
 * <p>One stream serves one decode after another ({@link #restart}): {@code ImageInputStreamImpl} has a finalizer
 * on JDK 17, so a stream per decode kept each decode's bytes alive for another collection and made the collector
 * process a finalizable object per image (16-47% of young-pause time in a loader trial).
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {
  private static final byte[] NONE = new byte[0];

  private byte[] bytes = NONE;

  /** Starts over on {@code bytes}: position 0, nothing flushed. */
  ByteArrayImageInputStream restart(byte[] bytes) {
    this.bytes = bytes;
    streamPos = 0;
    bitOffset = 0;
    flushedPos = 0;
    return this;
  }

  /** Lets go of the bytes. */
  void release() {
    restart(NONE);
  }

  @Override
  public int read() {
    bitOffset = 0;
    if (streamPos >= bytes.length) {
      return -1;
    }
    return bytes[(int) streamPos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    if (streamPos >= bytes.length) {
      return -1;
    }
    int n = (int) Math.min(len, bytes.length - streamPos);
    System.arraycopy(bytes, (int) streamPos, b, off, n);
    streamPos += n;
    return n;
  }

  @Override
  public long length() {
    return bytes.length;
  }
}
