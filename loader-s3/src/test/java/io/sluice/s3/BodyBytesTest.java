package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body collector on its own, fed the way the SDK feeds it (prepare, onResponse, onStream with a publisher of
 * buffers); what it does against a real server is covered by the S3 store tests.
 */
class BodyBytesTest {
  private static final String URI = "s3://bucket/key.jpg";

  /** A publisher of {@code chunks}, direct buffers like Netty's; records whether it was cancelled. */
  private static final class Chunks {
    final AtomicBoolean cancelled = new AtomicBoolean();
    final AtomicInteger delivered = new AtomicInteger();
    final SdkPublisher<ByteBuffer> publisher;

    Chunks(byte[]... chunks) {
      publisher = SdkPublisher.adapt(subscriber -> subscriber.onSubscribe(new Subscription() {
        private int next;

        @Override
        public void request(long n) {
          while (n-- > 0 && next < chunks.length && !cancelled.get()) {
            ByteBuffer direct = ByteBuffer.allocateDirect(chunks[next].length).put(chunks[next++]).flip();
            delivered.incrementAndGet();
            subscriber.onNext(direct);
          }
          if (next == chunks.length && !cancelled.get()) {
            next++;
            subscriber.onComplete();
          }
        }

        @Override
        public void cancel() {
          cancelled.set(true);
        }
      }));
    }
  }

  private static byte[] bytes(int from, int count) {
    byte[] b = new byte[count];
    for (int i = 0; i < count; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  private static CompletableFuture<ResponseBytes<GetObjectResponse>> run(BodyBytes body, Long contentLength,
      Chunks chunks) {
    CompletableFuture<ResponseBytes<GetObjectResponse>> result = body.prepare();
    body.onResponse(GetObjectResponse.builder().contentLength(contentLength).eTag("\"e\"").build());
    body.onStream(chunks.publisher);
    return result;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void chunksWithAContentLengthLandInOneArrayOfExactlyThatSize() {
    byte[] whole = bytes(0, 70_000);
    Chunks chunks = new Chunks(Arrays.copyOfRange(whole, 0, 16_384), Arrays.copyOfRange(whole, 16_384, 50_000),
        Arrays.copyOfRange(whole, 50_000, 70_000));
    ResponseBytes<GetObjectResponse> got = run(new BodyBytes(Long.MAX_VALUE, URI), 70_000L, chunks).join();
    assertArrayEquals(whole, got.asByteArrayUnsafe());
    assertEquals("\"e\"", got.response().eTag());
  }

  @Test
  void withoutAContentLengthTheArrayGrows() {
    List<byte[]> parts = new ArrayList<>();
    byte[] whole = bytes(7, 300_000);
    for (int at = 0; at < whole.length; at += 40_000) {
      parts.add(Arrays.copyOfRange(whole, at, Math.min(whole.length, at + 40_000)));
    }
    byte[] got = run(new BodyBytes(Long.MAX_VALUE, URI), null, new Chunks(parts.toArray(byte[][]::new))).join()
        .asByteArrayUnsafe();
    assertArrayEquals(whole, got);
  }

  @Test
  void aShortBodyIsReturnedShortForTheStoreToReport() {
    byte[] got = run(new BodyBytes(Long.MAX_VALUE, URI), 100L, new Chunks(bytes(0, 60))).join().asByteArrayUnsafe();
    assertArrayEquals(bytes(0, 60), got);
  }

  @Test
  void moreBytesThanAnnouncedFailRetryablyAndCancel() {
    Chunks chunks = new Chunks(bytes(0, 60), bytes(60, 60), bytes(120, 60));
    Throwable e = failure(run(new BodyBytes(Long.MAX_VALUE, URI), 100L, chunks));
    SluiceException s = (SluiceException) e;
    assertTrue(s.retryable());
    assertEquals("cannot read " + URI + ": the body has more than the 100 bytes its Content-Length announced",
        s.getMessage());
    assertTrue(chunks.cancelled.get());
    assertEquals(2, chunks.delivered.get(), "nothing read after the overflow");
  }

  @Test
  void aBodyOverTheLimitIsRefusedByItsLengthBeforeAByteIsRead() {
    Chunks chunks = new Chunks(bytes(0, 10));
    Throwable e = failure(run(new BodyBytes(1000, URI), 5000L, chunks));
    assertEquals("object " + URI + " is 5000 bytes, more than the limit of 1000 (maxObjectSize): refused before "
        + "buffering it", e.getMessage());
    assertFalse(((SluiceException) e).retryable());
    assertTrue(chunks.cancelled.get());
    assertEquals(0, chunks.delivered.get());
  }

  @Test
  void aBodyWithoutLengthIsRefusedAsSoonAsItPassesTheLimit() {
    Chunks chunks = new Chunks(bytes(0, 600), bytes(0, 600), bytes(0, 600));
    Throwable e = failure(run(new BodyBytes(1000, URI), null, chunks));
    assertEquals("object " + URI + " is more than 1000 bytes, more than the limit of 1000 (maxObjectSize): refused "
        + "before buffering it", e.getMessage());
    assertEquals(2, chunks.delivered.get());
    assertTrue(chunks.cancelled.get());
  }

  @Test
  void eachAttemptStartsAfresh() {
    BodyBytes body = new BodyBytes(Long.MAX_VALUE, URI);
    CompletableFuture<ResponseBytes<GetObjectResponse>> first = body.prepare();
    body.exceptionOccurred(new java.io.IOException("connection reset"));
    assertEquals("connection reset", failure(first).getMessage());
    CompletableFuture<ResponseBytes<GetObjectResponse>> second = run(body, 5L, new Chunks(bytes(1, 5)));
    assertArrayEquals(bytes(1, 5), second.join().asByteArrayUnsafe());
    assertSame(first.isCompletedExceptionally(), true);
  }
}
