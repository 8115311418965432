package io.sluice.s3;

import io.sluice.loader.SluiceException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Collects a GET's body into memory like {@link AsyncResponseTransformer#toBytes()}, but refuses a body larger
 * than a limit: by its Content-Length before a byte of it is read, or, without one, as soon as the bytes
 * streamed pass the limit.
 */
final class BoundedBytes implements AsyncResponseTransformer<GetObjectResponse, ResponseBytes<GetObjectResponse>> {
  private final long max;
  private final String uri;
  private AsyncResponseTransformer<GetObjectResponse, ResponseBytes<GetObjectResponse>> delegate;
  private CompletableFuture<ResponseBytes<GetObjectResponse>> result;
  private volatile SluiceException refused;

  BoundedBytes(long max, String uri) {
    this.max = max;
    this.uri = uri;
  }

  private SluiceException tooLarge(String size) {
    return new SluiceException("object " + uri + " is " + size + " bytes, more than the limit of " + max
        + " (maxObjectSize): refused before buffering it", uri, false, null);
  }

  @Override
  public CompletableFuture<ResponseBytes<GetObjectResponse>> prepare() {
    delegate = AsyncResponseTransformer.toBytes();
    refused = null;
    CompletableFuture<ResponseBytes<GetObjectResponse>> mine = new CompletableFuture<>();
    result = mine;
    delegate.prepare().whenComplete((bytes, error) -> {
      if (refused != null) {
        mine.completeExceptionally(refused);
      } else if (error != null) {
        mine.completeExceptionally(error);
      } else {
        mine.complete(bytes);
      }
    });
    return mine;
  }

  @Override
  public void onResponse(GetObjectResponse response) {
    Long length = response.contentLength();
    if (length != null && length > max) {
      refused = tooLarge(Long.toString(length));
    }
    delegate.onResponse(response);
  }

  @Override
  public void onStream(SdkPublisher<ByteBuffer> publisher) {
    if (refused != null) {
      publisher.subscribe(new Subscriber<ByteBuffer>() {
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
      });
      result.completeExceptionally(refused);
      return;
    }
    AtomicLong seen = new AtomicLong();
    delegate.onStream(publisher.map(buffer -> {
      if (seen.addAndGet(buffer.remaining()) > max) {
        refused = tooLarge("more than " + max);
        throw refused;
      }
      return buffer;
    }));
  }

  @Override
  public void exceptionOccurred(Throwable error) {
    delegate.exceptionOccurred(error);
  }
}
