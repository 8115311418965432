package io.sluice.s3;

import io.sluice.loader.SluiceException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A response body collected into one array: sized once by its Content-Length when there is one, each network buffer
 * copied in once, bounded by the store's {@code maxObjectSize} and by what one Java array holds. Used by one
 * subscriber at a time (Reactive Streams signals arrive one at a time).
 */
final class BodyBuffer {
  /** The largest array every JVM allocates. */
  static final int LARGEST = Integer.MAX_VALUE - 8;

  private final String uri;
  private final long announced; // -1: no Content-Length
  private final long max;
  private byte[] bytes;
  private int size;

  /** @param announced the Content-Length, or -1 */
  BodyBuffer(String uri, long announced, long max) {
    this.uri = uri;
    this.announced = announced;
    this.max = max;
    this.bytes = new byte[announced >= 0 && announced <= LARGEST ? (int) announced : 64 * 1024];
  }

  /** Appends a buffer; returns why the body is refused (the caller cancels it), or null. */
  SluiceException append(ByteBuffer buffer) {
    int n = buffer.remaining();
    long after = (long) size + n;
    if (announced >= 0 && after > announced) {
      return new SluiceException("cannot read " + uri + ": the body has more than the " + announced
          + " bytes its Content-Length announced", uri, true, null);
    }
    if (after > max) {
      return tooLarge(uri, "more than " + max, max);
    }
    if (after > LARGEST) {
      return new SluiceException("object " + uri + " is more than " + LARGEST + " bytes, more than one Java array "
          + "holds: read it in ranges", uri, false, null);
    }
    if (after > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(LARGEST, Math.max(after, 2L * bytes.length)));
    }
    buffer.get(bytes, size, n);
    size = (int) after;
    return null;
  }

  /** The body so far, in an array of its length. */
  byte[] toArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }

  /**
   * Why a body announced as {@code length} bytes is refused before a byte of it is buffered, or null: over
   * {@code max}, or over what one array holds.
   */
  static SluiceException refuse(String uri, long length, long max) {
    if (length > max) {
      return tooLarge(uri, Long.toString(length), max);
    }
    if (length > LARGEST) {
      return new SluiceException("object " + uri + " is " + length + " bytes, more than one Java array holds: read "
          + "it in ranges (the loader does when the manifest records its size)", uri, false, null);
    }
    return null;
  }

  static SluiceException tooLarge(String uri, String size, long max) {
    return new SluiceException("object " + uri + " is " + size + " bytes, more than the limit of " + max
        + " (maxObjectSize): refused before buffering it", uri, false, null);
  }

  /** Cancels a refused body at once. */
  static final class Cancelling implements Subscriber<ByteBuffer> {
    @Override
    public void onSubscribe(Subscription s) {
      s.cancel();
    }

    @Override
    public void onNext(ByteBuffer b) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }
}
