package io.sluice.loader.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ordering and hand-over alone: placement, order of hand-out, failures, and interruptible waits. */
class HandOverTest {
  private final BatchMemory memory = new BatchMemory(4);
  private final StatsRecorder stats = new StatsRecorder(null, () -> 1);
  private final ExecutorService consumer = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() {
    consumer.shutdownNow();
    memory.close();
  }

  private HandOver handOver(int samples, int batchSize, boolean ordered) {
    return new HandOver(0, samples, batchSize, ordered, number -> new BatchSlot(0, number,
        Math.min(batchSize, samples - number * batchSize), 2, memory, stats));
  }

  /** Writes sample {@code value} at {@code position} as a one-float row. */
  private static void write(HandOver h, int position, float value) {
    int placement = h.place(position);
    h.slot(placement).write(placement % 2, position, Features.of(new float[] {value}, 1), 0, "k" + position, false);
    h.rowDone(placement);
  }

  @Test
  void orderedBatchesComeOutInReadingOrderWhateverTheCompletionOrder() {
    HandOver h = handOver(5, 2, true);
    assertEquals(3, h.batches());
    write(h, 3, 3f);
    write(h, 4, 4f);
    write(h, 2, 2f);
    write(h, 1, 1f);
    write(h, 0, 0f);
    for (int b = 0; b < 3; b++) {
      Batch batch = h.take().batch();
      assertEquals(b, batch.number());
      assertEquals(2f * b, batch.features().getFloat(0));
    }
    assertFalse(h.hasNext());
  }

  @Test
  void aTakeInterruptedWhileWaitingThrowsKeepsTheFlagAndLosesNothing() throws Exception {
    HandOver h = handOver(4, 2, true);
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    Future<?> f = consumer.submit(() -> {
      waiting.countDown();
      try {
        h.take();
      } finally {
        flagAfter.set(Thread.currentThread().isInterrupted());
      }
      return null;
    });
    waiting.await();
    // The consumer is about to wait (or waiting) for batch 0: interrupt it.
    f.cancel(true);
    assertThrows(java.util.concurrent.CancellationException.class, f::get);
    for (int i = 0; i < 100 && flagAfter.get() == null; i++) {
      Thread.sleep(10);
    }
    assertEquals(Boolean.TRUE, flagAfter.get(), "the interrupt flag is kept");
    write(h, 0, 0f);
    write(h, 1, 1f);
    assertEquals(0, h.take().batch().number(), "the batch waited for is still handed out");
  }

  @Test
  void interruptThrowsASluiceExceptionCausedByInterruptedException() throws Exception {
    HandOver h = handOver(2, 2, true);
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        h.awaitFirstRow();
        thrown.complete(null);
      } catch (Throwable e) {
        thrown.complete(e);
      }
    });
    t.start();
    t.interrupt();
    Throwable e = thrown.get(10, TimeUnit.SECONDS);
    assertInstanceOf(SluiceException.class, e);
    assertInstanceOf(InterruptedException.class, e.getCause());
    assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
  }

  @Test
  void closeWakesAWaitingConsumerAndReturnsTheUnsentSlots() throws Exception {
    HandOver h = handOver(4, 2, true);
    write(h, 2, 2f);
    Future<Batch> f = consumer.submit(() -> h.take().batch());
    Thread.sleep(50);
    assertEquals(1, h.close().size(), "batch 1's slot, partly written");
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(-1, h.place(3), "nothing is placed after close");
  }

  @Test
  void aFailureIsThrownToTheConsumerAndAnAllSkippedBatchFailsTheEpoch() {
    HandOver h = handOver(4, 2, true);
    SluiceException why = new SluiceException("cannot load k1", "k1", false, null);
    h.rowSkipped(h.place(0), why);
    h.rowSkipped(h.place(1), why);
    SluiceException e = assertThrows(SluiceException.class, h::take);
    assertTrue(e.getMessage().contains("every sample of batch 0"), e.getMessage());
    assertEquals("k1", e.key());
  }

  @Test
  void unorderedPlacementTakesRowsInArrivalOrder() {
    HandOver h = handOver(4, 2, false);
    write(h, 3, 3f);
    write(h, 1, 1f);
    Batch first = h.take().batch();
    assertEquals(3f, first.features().getFloat(0));
    assertEquals(1f, first.features().getFloat(1));
  }
}
