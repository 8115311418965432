package io.sluice.s3;

import io.sluice.loader.SluiceException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Collects a GET's body into one array, like {@link AsyncResponseTransformer#toBytes()} but cheaper and bounded.
 *
 * <p>With a Content-Length (S3 always sends one) the array is allocated once at that size and each network buffer
 * is copied into it once; {@code toBytes()} grows a stream from 32 bytes by doubling and copies again at the end,
 * about three copies and half a megabyte of garbage per 110 KB object. A body larger than {@code max} is refused by
 * its Content-Length before a byte of it is read, or, without one, as soon as the bytes streamed pass the limit. A
 * body that ends early is returned as it is, shorter than announced, for the caller to report; more bytes than
 * announced fail the request.
 *
 * <p>The SDK calls {@link #prepare()} again for each attempt, which starts afresh.
 */
final class BodyBytes implements AsyncResponseTransformer<GetObjectResponse, ResponseBytes<GetObjectResponse>> {
  private static final int LARGEST = Integer.MAX_VALUE - 8; // the largest array every JVM allocates

  private final long max;
  private final String uri;
  private volatile CompletableFuture<ResponseBytes<GetObjectResponse>> result;
  private volatile GetObjectResponse response;
  private volatile SluiceException refused;

  BodyBytes(long max, String uri) {
    this.max = max;
    this.uri = uri;
  }

  private SluiceException tooLarge(String size) {
    return new SluiceException("object " + uri + " is " + size + " bytes, more than the limit of " + max
        + " (maxObjectSize): refused before buffering it", uri, false, null);
  }

  @Override
  public CompletableFuture<ResponseBytes<GetObjectResponse>> prepare() {
    refused = null;
    response = null;
    CompletableFuture<ResponseBytes<GetObjectResponse>> attempt = new CompletableFuture<>();
    result = attempt;
    return attempt;
  }

  @Override
  public void onResponse(GetObjectResponse response) {
    this.response = response;
    Long length = response.contentLength();
    if (length != null && length > max) {
      refused = tooLarge(Long.toString(length));
    }
  }

  @Override
  public void onStream(SdkPublisher<ByteBuffer> publisher) {
    CompletableFuture<ResponseBytes<GetObjectResponse>> attempt = result;
    GetObjectResponse head = response;
    SluiceException early = refused;
    if (early != null) {
      publisher.subscribe(new Cancelling());
      attempt.completeExceptionally(early);
      return;
    }
    Long length = head.contentLength();
    if (length != null && length > LARGEST) {
      publisher.subscribe(new Cancelling());
      attempt.completeExceptionally(new SluiceException("object " + uri + " is " + length + " bytes, more than one "
          + "Java array holds: read it in ranges (the loader does when the manifest records its size)", uri, false,
          null));
      return;
    }
    publisher.subscribe(new Collector(attempt, head, length == null ? -1 : length));
  }

  @Override
  public void exceptionOccurred(Throwable error) {
    result.completeExceptionally(error);
  }

  /** Takes the body's buffers into one array. Reactive Streams signals arrive one at a time. */
  private final class Collector implements Subscriber<ByteBuffer> {
    private final CompletableFuture<ResponseBytes<GetObjectResponse>> attempt;
    private final GetObjectResponse head;
    private final long announced; // -1: no Content-Length
    private byte[] bytes;
    private int size;
    private Subscription subscription;
    private boolean done;

    Collector(CompletableFuture<ResponseBytes<GetObjectResponse>> attempt, GetObjectResponse head, long announced) {
      this.attempt = attempt;
      this.head = head;
      this.announced = announced;
      this.bytes = new byte[announced >= 0 ? Math.toIntExact(announced) : 64 * 1024];
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer buffer) {
      if (done) {
        return;
      }
      int n = buffer.remaining();
      long after = (long) size + n;
      if (announced >= 0 && after > announced) {
        fail(new SluiceException("cannot read " + uri + ": the body has more than the " + announced
            + " bytes its Content-Length announced", uri, true, null));
        return;
      }
      if (after > max) {
        fail(tooLarge("more than " + max));
        return;
      }
      if (after > LARGEST) {
        fail(new SluiceException("object " + uri + " is more than " + LARGEST + " bytes, more than one Java array "
            + "holds: read it in ranges", uri, false, null));
        return;
      }
      if (after > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(LARGEST, Math.max(after, 2L * bytes.length)));
      }
      buffer.get(bytes, size, n);
      size = (int) after;
    }

    private void fail(Throwable error) {
      done = true;
      subscription.cancel();
      attempt.completeExceptionally(error);
    }

    @Override
    public void onError(Throwable error) {
      if (!done) {
        done = true;
        attempt.completeExceptionally(error);
      }
    }

    @Override
    public void onComplete() {
      if (!done) {
        done = true;
        byte[] body = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        attempt.complete(ResponseBytes.fromByteArrayUnsafe(head, body));
      }
    }
  }

  /** Cancels a refused body at once. */
  private static final class Cancelling implements Subscriber<ByteBuffer> {
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
