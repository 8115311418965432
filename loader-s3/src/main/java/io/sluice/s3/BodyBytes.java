package io.sluice.s3;

import io.sluice.loader.SluiceException;
import java.nio.ByteBuffer;
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
  private final long max;
  private final String uri;
  private volatile CompletableFuture<ResponseBytes<GetObjectResponse>> result;
  private volatile GetObjectResponse response;
  private volatile SluiceException refused;

  BodyBytes(long max, String uri) {
    this.max = max;
    this.uri = uri;
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
    if (length != null) {
      refused = BodyBuffer.refuse(uri, length, max);
    }
  }

  @Override
  public void onStream(SdkPublisher<ByteBuffer> publisher) {
    CompletableFuture<ResponseBytes<GetObjectResponse>> attempt = result;
    GetObjectResponse head = response;
    SluiceException early = refused;
    if (early != null) {
      publisher.subscribe(new BodyBuffer.Cancelling());
      attempt.completeExceptionally(early);
      return;
    }
    Long length = head.contentLength();
    publisher.subscribe(new Collector(attempt, head, new BodyBuffer(uri, length == null ? -1 : length, max)));
  }

  @Override
  public void exceptionOccurred(Throwable error) {
    result.completeExceptionally(error);
  }

  /** Takes the body's buffers into one array. Reactive Streams signals arrive one at a time. */
  private static final class Collector implements Subscriber<ByteBuffer> {
    private final CompletableFuture<ResponseBytes<GetObjectResponse>> attempt;
    private final GetObjectResponse head;
    private final BodyBuffer body;
    private Subscription subscription;
    private boolean done;

    Collector(CompletableFuture<ResponseBytes<GetObjectResponse>> attempt, GetObjectResponse head, BodyBuffer body) {
      this.attempt = attempt;
      this.head = head;
      this.body = body;
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
      SluiceException refused = body.append(buffer);
      if (refused != null) {
        done = true;
        subscription.cancel();
        attempt.completeExceptionally(refused);
      }
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
        attempt.complete(ResponseBytes.fromByteArrayUnsafe(head, body.toArray()));
      }
    }
  }
}
