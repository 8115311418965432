package io.sluice.loader.internal;

import io.sluice.loader.Batch;
import io.sluice.loader.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * Ordering and hand-over for one epoch: which row of which batch each sample takes, when a batch is complete, and
 * handing complete batches to the consumer in order.
 *
 * <p>Placement: ordered (the default), the sample at reading position {@code p} takes row {@code p % batchSize} of
 * batch {@code p / batchSize}, whatever the timing; unordered, samples take rows in the order they are placed.
 *
 * <p>Every wait here is interruptible: a consumer whose thread is interrupted gets a {@link SluiceException}
 * caused by an {@link InterruptedException}, keeps its interrupt flag, and may call again later; the batch it was
 * waiting for is not lost.
 */
public final class HandOver {
  private final int epoch;
  private final int samples;
  private final int batchSize;
  private final boolean ordered;
  private final IntFunction<BatchSlot> newSlot;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final BatchSlot[] slots;
  private int placed;
  private int consumed;
  private int rowsDone;
  private SluiceException failure;
  private boolean closed;

  /**
   * @param samples the samples of the epoch (this rank's)
   * @param newSlot makes the slot of a batch number, on its first row
   */
  public HandOver(int epoch, int samples, int batchSize, boolean ordered, IntFunction<BatchSlot> newSlot) {
    this.epoch = epoch;
    this.samples = samples;
    this.batchSize = batchSize;
    this.ordered = ordered;
    this.newSlot = newSlot;
    this.slots = new BatchSlot[batches()];
  }

  /** The number of batches, the last maybe short. */
  public int batches() {
    return (samples + batchSize - 1) / batchSize;
  }

  /** Where the sample read at {@code position} goes ({@code batch * batchSize + row}), or -1 if closed. */
  public int place(int position) {
    lock.lock();
    try {
      return closed ? -1 : ordered ? position : placed++;
    } finally {
      lock.unlock();
    }
  }

  /** The slot for a placement, or {@code null} if the epoch is closed. */
  public BatchSlot slot(int placement) {
    lock.lock();
    try {
      return closed ? null : slotLocked(placement / batchSize);
    } finally {
      lock.unlock();
    }
  }

  private BatchSlot slotLocked(int number) {
    BatchSlot slot = slots[number];
    if (slot == null) {
      slot = newSlot.apply(number);
      slots[number] = slot;
    }
    return slot;
  }

  /** The row at {@code placement} is written. */
  public void rowDone(int placement) {
    lock.lock();
    try {
      if (!closed) {
        slotLocked(placement / batchSize).rowDone();
        rowsDone++;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The row at {@code placement} will not be filled (its sample was skipped). Fails the epoch if that leaves its
   * batch complete and empty.
   */
  public void rowSkipped(int placement, SluiceException why) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      BatchSlot slot = slotLocked(placement / batchSize);
      slot.rowSkipped(placement % batchSize);
      if (slot.complete() && slot.empty() && failure == null) {
        failure = new SluiceException("every sample of batch " + slot.number() + " in epoch " + epoch
            + " was skipped; the last: " + why.getMessage(), why.key(), false, why);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Fails the epoch: the consumer's next wait throws {@code failure} (the first one given). */
  public void fail(SluiceException failure) {
    lock.lock();
    try {
      if (this.failure == null) {
        this.failure = failure;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Batches handed out so far. */
  public int consumed() {
    lock.lock();
    try {
      return consumed;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the epoch has batches left to hand out. Never blocks. */
  public boolean hasNext() {
    lock.lock();
    try {
      return !closed && consumed < slots.length;
    } finally {
      lock.unlock();
    }
  }

  /** What {@link #take} handed out: the batch and how long the consumer waited for it. */
  public record Taken(Batch batch, long waitedNanos) {}

  /**
   * Waits for the next batch to be complete and hands it out.
   *
   * @throws SluiceException the epoch's failure, or if the thread is interrupted while waiting
   * @throws IllegalStateException if the epoch is or gets closed
   * @throws NoSuchElementException if every batch was handed out
   */
  public Taken take() {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("epoch " + epoch + " iterator is closed");
      }
      if (consumed >= slots.length) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches (" + slots.length + " in all)");
      }
      long waitStart = System.nanoTime();
      while (failure == null && !closed && (slots[consumed] == null || !slots[consumed].complete())) {
        await("batch " + consumed);
      }
      long waited = System.nanoTime() - waitStart;
      throwIfFailed();
      if (closed) {
        throw new IllegalStateException("epoch " + epoch + " iterator was closed while waiting");
      }
      Batch batch = slots[consumed].toBatch();
      slots[consumed] = null;
      consumed++;
      return new Taken(batch, waited);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until some row of the epoch is written (so a sample's shape is known), the epoch ends or fails. */
  public void awaitFirstRow() {
    lock.lock();
    try {
      while (failure == null && !closed && rowsDone == 0 && consumed < slots.length) {
        await("its first sample");
      }
      if (rowsDone == 0) {
        throwIfFailed();
      }
    } finally {
      lock.unlock();
    }
  }

  private void await(String what) {
    try {
      changed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceException("interrupted while waiting for " + what + " of epoch " + epoch
          + "; the epoch is intact: call again to go on, or close it", e);
    }
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw new SluiceException(failure.getMessage(), failure.key(), failure.retryable(), failure);
    }
  }

  /** Ends the epoch: wakes every waiter and returns the slots not handed out, for their memory to be released. */
  public List<BatchSlot> close() {
    List<BatchSlot> left = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        return left;
      }
      closed = true;
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] != null) {
          left.add(slots[i]);
          slots[i] = null;
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return left;
  }
}
