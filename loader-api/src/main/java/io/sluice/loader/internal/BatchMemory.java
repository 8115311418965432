package io.sluice.loader.internal;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
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
 * <p>Blocks that come back while {@code maxIdle} blocks of their size are already idle, or after {@link #close},
 * are freed. (Keeping every block that came back instead saved page faults in a fast in-memory run, but with a
 * trainer taking 200 ms per batch the blocks of batches the collector had not yet found piled up to JavaCPP's limit,
 * and its collect-and-wait before each allocation stalled the loader: p99 wait 93-1,290 ms instead of 9.)
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
  private final int maxIdle;

  public BatchMemory(int maxIdle) {
    this(maxIdle, FloatPointer::new);
  }

  /** A pool that maps blocks with {@code allocator} (tests make it refuse). */
  BatchMemory(int maxIdle, LongFunction<FloatPointer> allocator) {
    this.maxIdle = maxIdle;
    this.allocator = allocator;
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
   * size), it has first run the collector, which may have found earlier batches unreachable: some of their blocks
   * may then be idle in this pool, so take one of those; failing that, free the idle blocks of other sizes and try
   * once more. Only then is the OutOfMemoryError the caller's.
   */
  private Block allocate(long length) {
    try {
      return new Block(map(length), false);
    } catch (OutOfMemoryError e) {
      FloatPointer idleBlock = take(length);
      if (idleBlock != null) {
        return new Block(idleBlock, true);
      }
      List<FloatPointer> others = drainIdle();
      if (others.isEmpty()) {
        throw e;
      }
      others.forEach(FloatPointer::close);
      return new Block(map(length), false);
    }
  }

  /** Maps a new block of {@code length} floats and counts it. */
  private FloatPointer map(long length) {
    FloatPointer block = allocator.apply(length);
    allocated.incrementAndGet();
    return block;
  }

  /** Takes every idle block out of the pool, for the caller to free. */
  private synchronized List<FloatPointer> drainIdle() {
    List<FloatPointer> all = new ArrayList<>();
    idle.values().forEach(all::addAll);
    idle.clear();
    return all;
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
      if (!closed) {
        ArrayDeque<FloatPointer> free = idle.computeIfAbsent(length, k -> new ArrayDeque<>());
        if (free.size() < maxIdle) {
          free.add(block);
          return;
        }
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
    synchronized (this) {
      closed = true;
    }
    drainIdle().forEach(FloatPointer::close);
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
