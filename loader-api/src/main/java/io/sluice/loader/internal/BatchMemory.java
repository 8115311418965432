package io.sluice.loader.internal;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Off-heap memory for batch tensors, reused from batch to batch.
 *
 * <p>A fresh ND4J tensor of a batch of 64 RGB 224x224 images is 38.5 MB: the allocator maps new pages and ND4J
 * clears them, about 9,400 page faults and 20+ ms of kernel time per batch, a fifth of a core at 1,000 images/s.
 * This pool keeps blocks mapped instead. Safety does not rest on the consumer's promise: every batch gets a
 * {@link DataBuffer} of its own over a pooled block, and the block returns to the pool only once the garbage
 * collector has found that buffer unreachable, that is once no tensor, view or {@code DataSet} of the user's
 * refers to it any more ({@link Cleaner}). A batch the user keeps keeps its block; the pool then maps another.
 *
 * <p>Blocks come back in bursts, when a collection finds the batches of the last few seconds unreachable at once.
 * The pool keeps every block that comes back until {@link #close} (blocks that come back after it are freed), unless
 * JavaCPP's off-heap memory is near its limit (see {@link #belowThreeQuartersOfJavaCppLimit}). That never keeps more
 * memory than was in use at once: a block is mapped only when none is idle, so the blocks mapped and not yet freed
 * never outnumber the most batches that were leased at the same time. Freeing all but a few of a
 * burst instead, as this pool once did, made the loader map most batches afresh in a steady run (250 of 310
 * batches in a trial at 760 images/s: a tenth of the loader's CPU spent in page faults).
 */
public final class BatchMemory implements AutoCloseable {
  /** The one daemon thread, shared by every loader in the JVM, that returns blocks of unreachable batches. */
  static final String CLEANER_THREAD = "sluice-batch-memory-cleaner";

  private static final Cleaner CLEANER = Cleaner.create(r -> {
    Thread t = new Thread(r, CLEANER_THREAD);
    t.setDaemon(true);
    return t;
  });

  private final Map<Long, ArrayDeque<FloatPointer>> idle = new HashMap<>();
  private final AtomicLong allocated = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();
  private boolean closed; // guarded by this

  private final LongFunction<FloatPointer> allocator;
  private final BooleanSupplier keepIdle;

  public BatchMemory() {
    this(FloatPointer::new, BatchMemory::belowThreeQuartersOfJavaCppLimit);
  }

  /** A pool that maps blocks with {@code allocator} (tests make it refuse). */
  BatchMemory(LongFunction<FloatPointer> allocator) {
    this(allocator, () -> true);
  }

  /**
   * A pool that maps blocks with {@code allocator} and keeps a returning block idle only while {@code keepIdle} says
   * so (else frees it).
   */
  BatchMemory(LongFunction<FloatPointer> allocator, BooleanSupplier keepIdle) {
    this.allocator = allocator;
    this.keepIdle = keepIdle;
  }

  /**
   * Whether JavaCPP's off-heap memory is below three quarters of its limit ({@code maxBytes}, by default the heap's
   * size). Near the limit, JavaCPP runs the collector before each allocation and waits for memory to be freed; a
   * pool that kept the blocks coming back would make it wait in vain (a second per allocation, seen with a trainer
   * taking 200 ms per batch, whose batches the collector found late), so there blocks are freed as they return.
   */
  static boolean belowThreeQuartersOfJavaCppLimit() {
    long max = Pointer.maxBytes();
    return max <= 0 || Pointer.totalBytes() < max / 4 * 3;
  }

  /** A float tensor of {@code shape}, 'c' order, contents undefined, over a pooled block. */
  Lease lease(long[] shape) {
    return lease(shape, DataType.FLOAT);
  }

  /** A float32 or uint8 tensor of {@code shape}, 'c' order, contents undefined, over a pooled block. */
  Lease lease(long[] shape, DataType type) {
    long elements = 1;
    for (long d : shape) {
      elements *= d;
    }
    // blocks are counted in floats; a uint8 tensor takes a block of a quarter the length
    long length = type == DataType.UINT8 ? (elements + 3) / 4 : elements;
    FloatPointer block = take(length);
    boolean reused = block != null;
    if (block == null) {
      Block b = allocate(length);
      block = b.pointer();
      reused = b.reused();
    }
    DataBuffer buffer;
    if (type == DataType.UINT8) {
      BytePointer view = new BytePointer(block); // the same address; owns nothing
      view.capacity(elements).limit(elements);
      buffer = Nd4j.createBuffer(view, DataType.UINT8, elements, UByteIndexer.create(view));
    } else {
      FloatPointer view = new FloatPointer(block); // the same address; owns nothing
      buffer = Nd4j.createBuffer(view, DataType.FLOAT, length, FloatIndexer.create(view));
    }
    INDArray array = Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    // The action must not refer to the buffer, or the buffer could never become unreachable.
    return new Lease(array, CLEANER.register(buffer, new Return(this, block, length)), reused);
  }

  /** A block, and whether it came from the pool after all rather than being newly mapped. */
  private record Block(FloatPointer pointer, boolean reused) {}

  /**
   * A new block of {@code length} floats. When JavaCPP refuses (its {@code maxBytes} limit, by default the heap's
   * size), it has first run the collector, which may have found earlier batches unreachable: their blocks are then
   * idle in this pool, not freed, so take one of those; failing that, free the idle blocks of other sizes and try
   * once more. Only then is the OutOfMemoryError the caller's.
   */
  private Block allocate(long length) {
    try {
      FloatPointer block = allocator.apply(length);
      allocated.incrementAndGet();
      return new Block(block, false);
    } catch (OutOfMemoryError e) {
      FloatPointer idleBlock = take(length);
      if (idleBlock != null) {
        return new Block(idleBlock, true);
      }
      List<FloatPointer> others = new ArrayList<>();
      synchronized (this) {
        idle.values().forEach(others::addAll);
        idle.clear();
      }
      if (others.isEmpty()) {
        throw e;
      }
      others.forEach(FloatPointer::close);
      FloatPointer block = allocator.apply(length);
      allocated.incrementAndGet();
      return new Block(block, false);
    }
  }

  /** An idle block of {@code length} floats, or null. */
  private synchronized FloatPointer take(long length) {
    ArrayDeque<FloatPointer> free = idle.get(length);
    FloatPointer block = free == null ? null : free.poll();
    if (block != null) {
      reused.incrementAndGet();
    }
    return block;
  }

  private void giveBack(FloatPointer block, long length) {
    synchronized (this) {
      if (!closed && keepIdle.getAsBoolean()) {
        idle.computeIfAbsent(length, k -> new ArrayDeque<>()).add(block);
        return;
      }
    }
    block.close();
  }

  /** Blocks mapped so far. */
  long allocated() {
    return allocated.get();
  }

  /** Leases served from an idle block. */
  long reused() {
    return reused.get();
  }

  /** Idle blocks now. */
  synchronized int idle() {
    return idle.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /** Frees the idle blocks; blocks still leased are freed when their batches become unreachable. */
  @Override
  public void close() {
    ArrayDeque<FloatPointer> free = new ArrayDeque<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(free::addAll);
      idle.clear();
    }
    free.forEach(FloatPointer::close);
  }

  /** One batch's tensor and the block under it. */
  static final class Lease {
    private final Cleaner.Cleanable cleanable;
    private final boolean reused;
    private INDArray array;

    private Lease(INDArray array, Cleaner.Cleanable cleanable, boolean reused) {
      this.array = array;
      this.cleanable = cleanable;
      this.reused = reused;
    }

    /** Whether the memory came from an earlier batch rather than being newly mapped. */
    boolean reused() {
      return reused;
    }

    INDArray array() {
      return array;
    }

    /**
     * Gives the block back now, for a batch that was never handed out (nothing outside the loader refers to it).
     */
    void release() {
      array = null;
      cleanable.clean();
    }
  }

  /**
   * Puts a block back in the pool when its buffer is found unreachable, or on {@link Lease#release}; the
   * {@link Cleaner.Cleanable} runs it at most once.
   */
  private record Return(BatchMemory pool, FloatPointer block, long length) implements Runnable {
    @Override
    public void run() {
      pool.giveBack(block, length);
    }
  }
}
