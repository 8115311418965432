package io.sluice.loader.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
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
 * <p>Which blocks the pool keeps: the collector gives blocks back in bursts, every batch it found unreachable at
 * once, so how many are idle swings with its timing. A block that came back is kept until the next collection, and
 * the {@code maxIdle} blocks of a size that came back last are kept whatever their age; an idle block beyond those
 * that has stayed idle through a collection is freed (on the pool's next lease or return): between two collections
 * the loader did not need it. Leases take the block that came back last. So a loader that leases many blocks between
 * two collections reuses the burst instead of freeing most of it and mapping afresh (38.5 MB of page faults each;
 * with at most {@code maxIdle} kept, four in five batches of a loader in memory mapped afresh, collections being
 * 3-4 s apart), and one that leases few does not keep idle blocks piled up. Keeping a burst until the next
 * collection does not add to the memory mapped at the collection, as leases take idle blocks before they map new
 * ones. (Keeping every block that came back for good instead let idle blocks and the blocks of batches the collector
 * had not yet found pile up to JavaCPP's limit with a trainer at 200 ms per batch, and its collect-and-wait before
 * each allocation stalled the loader: p99 wait 93-1,290 ms instead of 9.) After {@link #close}, blocks that come back
 * are freed.
 */
public final class BatchMemory implements AutoCloseable {
  /** The one daemon thread, shared by every loader in the JVM, that returns blocks of unreachable batches. */
  static final String CLEANER_THREAD = "sluice-batch-memory-cleaner";

  private static final Cleaner CLEANER = Cleaner.create(r -> {
    Thread t = new Thread(r, CLEANER_THREAD);
    t.setDaemon(true);
    return t;
  });

  // idle blocks by length, oldest return first
  private final Map<Long, ArrayDeque<Idle>> idle = new HashMap<>(); // guarded by this
  private final AtomicLong allocated = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();
  private boolean closed; // guarded by this

  private final LongFunction<FloatPointer> allocator;
  private final int maxIdle;
  private final LongSupplier collections;

  /**
   * A pool that keeps the last {@code maxIdle} idle blocks of each size, and any that came back since the last
   * collection.
   */
  public BatchMemory(int maxIdle) {
    this(maxIdle, FloatPointer::new, BatchMemory::collectionsSoFar);
  }

  /** A pool that maps blocks with {@code allocator} (tests make it refuse). */
  BatchMemory(int maxIdle, LongFunction<FloatPointer> allocator) {
    this(maxIdle, allocator, BatchMemory::collectionsSoFar);
  }

  /** @param collections how many collections the JVM has run so far (tests count by hand) */
  BatchMemory(int maxIdle, LongFunction<FloatPointer> allocator, LongSupplier collections) {
    this.maxIdle = maxIdle;
    this.allocator = allocator;
    this.collections = collections;
  }

  /** Collections the JVM's collectors have run, all kinds together. */
  private static long collectionsSoFar() {
    long count = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
    }
    return count;
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
    idle.values().forEach(free -> free.forEach(i -> all.add(i.block())));
    idle.clear();
    return all;
  }

  /** The idle block of {@code length} floats that came back last, or null; frees idle blocks kept too long. */
  private FloatPointer take(long length) {
    List<FloatPointer> stale = new ArrayList<>();
    FloatPointer block;
    synchronized (this) {
      ArrayDeque<Idle> free = idle.get(length);
      Idle last = free == null ? null : free.pollLast();
      block = last == null ? null : last.block();
      if (block != null) {
        reused.incrementAndGet();
      }
      trim(stale);
    }
    stale.forEach(FloatPointer::close);
    return block;
  }

  private void giveBack(FloatPointer block, long length) {
    List<FloatPointer> stale = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        stale.add(block);
      } else {
        idle.computeIfAbsent(length, k -> new ArrayDeque<>()).addLast(new Idle(block, collections.getAsLong()));
        trim(stale);
      }
    }
    stale.forEach(FloatPointer::close);
  }

  /**
   * Moves to {@code stale} the idle blocks, oldest first, beyond {@code maxIdle} of a size that have stayed idle
   * through a collection.
   */
  private void trim(List<FloatPointer> stale) {
    long now = collections.getAsLong();
    for (ArrayDeque<Idle> free : idle.values()) {
      while (free.size() > maxIdle && free.peekFirst().returnedAfter() < now) {
        stale.add(free.pollFirst().block());
      }
    }
  }

  /** An idle block and how many collections had run when it came back. */
  private record Idle(FloatPointer block, long returnedAfter) {}

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
