package io.sluice.loader.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.testing.SyntheticDataset;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Batch memory is reused, but never under a batch that anything still refers to. */
class BatchMemoryTest {

  /** Runs the collector until {@code done} holds, for at most 10 s; returns whether it did. */
  private static boolean collectUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    return done.getAsBoolean();
  }

  @Test
  void aBlockComesBackOnceItsBatchIsUnreachableAndIsReused() throws Exception {
    try (BatchMemory memory = new BatchMemory(4)) {
      BatchMemory.Lease lease = memory.lease(new long[] {8, 3, 4});
      lease.array().assign(7f);
      assertEquals(7f * 96, lease.array().sumNumber().floatValue());
      lease = null; // nothing refers to the batch any more
      assertTrue(collectUntil(() -> memory.idle() == 1), "the block came back");
      BatchMemory.Lease again = memory.lease(new long[] {8, 3, 4});
      assertEquals(1, memory.allocated(), "the second batch reused the first block");
      assertEquals(1, memory.reused());
      again.array().assign(1f);
      assertEquals(96f, again.array().sumNumber().floatValue());
    }
  }

  @Test
  void aLeaseKeptByAViewKeepsItsBlock() throws Exception {
    try (BatchMemory memory = new BatchMemory(4)) {
      BatchMemory.Lease lease = memory.lease(new long[] {4, 10});
      lease.array().assign(3f);
      INDArray row = lease.array().getRow(2); // a view: refers to the batch's buffer, not to the batch tensor
      lease = null;
      for (int i = 0; i < 5; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertEquals(0, memory.idle(), "a view still refers to the block");
      BatchMemory.Lease other = memory.lease(new long[] {4, 10});
      other.array().assign(-1f);
      assertEquals(2, memory.allocated());
      assertEquals(30f, row.sumNumber().floatValue(), "the view's data is untouched");
    }
  }

  /** The JVM's count of collections, as the test pretends it: it counts them by hand. */
  private static final class Collections implements java.util.function.LongSupplier {
    long count;

    void collect() {
      count++;
    }

    @Override
    public long getAsLong() {
      return count;
    }
  }

  /** Blocks the test's pools map, in order, to see which are freed. */
  private static final class Mapped implements java.util.function.LongFunction<FloatPointer> {
    final List<FloatPointer> blocks = new ArrayList<>();

    @Override
    public FloatPointer apply(long length) {
      FloatPointer block = new FloatPointer(length);
      blocks.add(block);
      return block;
    }

    long freed() {
      return blocks.stream().filter(b -> b.isNull()).count();
    }
  }

  @Test
  void releaseGivesBackAtOnceAndClosingTheTensorDoesNotFreeTheBlock() throws Exception {
    Collections collections = new Collections();
    try (BatchMemory memory = new BatchMemory(1, FloatPointer::new, collections)) {
      BatchMemory.Lease a = memory.lease(new long[] {16});
      BatchMemory.Lease b = memory.lease(new long[] {16});
      a.array().close(); // what a user might do; the buffer is ND4J's view of our block, not its owner
      a.release();
      collections.collect();
      b.release(); // one idle block at most once the other has stayed idle through a collection: that one is freed
      assertEquals(1, memory.idle());
      BatchMemory.Lease c = memory.lease(new long[] {16});
      c.array().assign(5f);
      assertEquals(80f, c.array().sumNumber().floatValue(), "the reused block is still mapped and writable");
      assertEquals(0, memory.idle());
      assertEquals(2, memory.allocated());
    }
  }

  @Test
  void aBurstOfReturnedBlocksIsKeptForTheLeasesThatFollowIt() throws Exception {
    // the collector gives back many batches' blocks at once; the loader leases them again before the next collection
    Collections collections = new Collections();
    Mapped mapped = new Mapped();
    try (BatchMemory memory = new BatchMemory(2, mapped, collections)) {
      List<BatchMemory.Lease> burst = leases(memory, 8, 16);
      collections.collect();
      burst.forEach(BatchMemory.Lease::release); // what that collection found
      assertEquals(8, memory.idle(), "every block that came back since the last collection is kept");
      for (int i = 0; i < 8; i++) {
        assertTrue(memory.lease(new long[] {16}).reused(), "lease " + i + " reused a block");
      }
      assertEquals(8, memory.allocated(), "nothing mapped afresh");
      assertEquals(0, mapped.freed());
    }
  }

  @Test
  void idleBlocksBeyondMaxIdleAreFreedOnceIdleThroughACollection() throws Exception {
    // a slow consumer's loader leases few blocks between two collections: the rest of a burst must not stay mapped
    Collections collections = new Collections();
    Mapped mapped = new Mapped();
    try (BatchMemory memory = new BatchMemory(2, mapped, collections)) {
      List<BatchMemory.Lease> burst = leases(memory, 6, 16);
      burst.forEach(BatchMemory.Lease::release);
      BatchMemory.Lease one = memory.lease(new long[] {16});
      assertEquals(5, memory.idle(), "before the next collection nothing is freed");
      collections.collect();
      BatchMemory.Lease two = memory.lease(new long[] {16}); // the next lease trims: only maxIdle stay
      assertEquals(2, memory.idle());
      assertEquals(2, mapped.freed());
      assertTrue(one.reused() && two.reused());
      assertTrue(mapped.blocks.get(0).isNull() && mapped.blocks.get(1).isNull(), "the oldest returns were freed");
      assertEquals(mapped.blocks.get(5).address(), one.array().data().address(), "the last return is leased first");
      assertEquals(mapped.blocks.get(4).address(), two.array().data().address());
      one.array().assign(1f);
      two.array().assign(2f);
      assertEquals(48f, one.array().sumNumber().floatValue() + two.array().sumNumber().floatValue(),
          "the leased blocks are mapped and writable");
      collections.collect();
      collections.collect();
      one.release(); // a return trims too; the maxIdle that came back last stay however many collections passed
      assertEquals(2, memory.idle());
      assertEquals(3, mapped.freed(), "the oldest idle block was freed, the one that just came back kept");
    }
  }

  @Test
  void trimmingFreesOldIdleBlocksOfEverySize() throws Exception {
    Collections collections = new Collections();
    Mapped mapped = new Mapped();
    try (BatchMemory memory = new BatchMemory(1, mapped, collections)) {
      List<BatchMemory.Lease> small = leases(memory, 3, 4); // a short last batch's size
      small.forEach(BatchMemory.Lease::release);
      collections.collect();
      memory.lease(new long[] {16}); // a lease of another size
      assertEquals(1, memory.idle(), "two of the three small blocks were freed");
      assertEquals(2, mapped.freed());
    }
  }

  @Test
  void whenJavaCppRefusesMemoryABlockThatCameBackMeanwhileIsUsed() throws Exception {
    // JavaCPP runs the collector before it refuses an allocation; blocks of batches found unreachable then come
    // back to the pool (not freed), so the lease must look there again instead of failing
    List<BatchMemory.Lease> early = new ArrayList<>();
    BatchMemory[] pool = new BatchMemory[1];
    int[] refusals = {0};
    pool[0] = new BatchMemory(4, length -> {
      if (early.size() == 2 && refusals[0] == 0) {
        refusals[0]++;
        early.forEach(BatchMemory.Lease::release); // what the collector's run gives back
        throw new OutOfMemoryError("Cannot allocate new FloatPointer(" + length + ")");
      }
      return new FloatPointer(length);
    });
    try (BatchMemory memory = pool[0]) {
      early.add(memory.lease(new long[] {16}));
      early.add(memory.lease(new long[] {16}));
      BatchMemory.Lease third = memory.lease(new long[] {16});
      third.array().assign(2f);
      assertEquals(32f, third.array().sumNumber().floatValue());
      assertTrue(third.reused(), "a block that came back was used");
      assertEquals(1, refusals[0]);
      assertEquals(2, memory.allocated());
      assertEquals(1, memory.idle());
    }
  }

  @Test
  void whenJavaCppRefusesMemoryIdleBlocksOfOtherSizesAreFreedFirst() throws Exception {
    int[] refusals = {0};
    List<Long> asked = new ArrayList<>();
    try (BatchMemory memory = new BatchMemory(4, length -> {
      asked.add(length);
      if (length == 32 && refusals[0] == 0) {
        refusals[0]++;
        throw new OutOfMemoryError("Cannot allocate new FloatPointer(32)");
      }
      return new FloatPointer(length);
    })) {
      memory.lease(new long[] {16}).release(); // a smaller last batch's block, now idle
      assertEquals(1, memory.idle());
      BatchMemory.Lease big = memory.lease(new long[] {32});
      assertEquals(0, memory.idle(), "the idle block of the other size was freed to make room");
      assertEquals(List.of(16L, 32L, 32L), asked);
      big.release();
      // and with nothing idle to free, the refusal is the caller's
      try (BatchMemory empty = new BatchMemory(4, length -> {
        throw new OutOfMemoryError("no memory");
      })) {
        assertEquals("no memory", org.junit.jupiter.api.Assertions.assertThrows(OutOfMemoryError.class,
            () -> empty.lease(new long[] {8})).getMessage());
      }
    }
  }

  @Test
  void batchesKeptByTheUserAreNeverOverwrittenByLaterBatches() throws Exception {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 200, 4);
    InMemoryObjectStore store = new InMemoryObjectStore();
    data.objects().forEach(store::put);
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(store)
        .transform(SyntheticDataset.identify()).batchSize(10).seed(3).prefetchBatches(2).build()) {
      List<INDArray> kept = new ArrayList<>();
      List<float[]> copies = new ArrayList<>();
      BatchIterator first = loader.epoch(0);
      while (first.hasNext()) {
        Batch batch = first.next();
        kept.add(batch.features());
        copies.add(batch.features().dup().data().asFloat());
      }
      // later epochs reuse whatever memory has come back; collect often so that blocks do come back
      for (int epoch = 1; epoch <= 4; epoch++) {
        BatchIterator it = loader.epoch(epoch);
        while (it.hasNext()) {
          it.next();
          System.gc();
        }
      }
      DataSetIterator iterator = loader.asDataSetIterator();
      List<DataSet> keptSets = new ArrayList<>();
      List<float[]> setCopies = new ArrayList<>();
      while (iterator.hasNext()) {
        DataSet set = iterator.next();
        keptSets.add(set);
        setCopies.add(set.getFeatures().dup().data().asFloat());
        System.gc();
      }
      iterator.reset();
      while (iterator.hasNext()) {
        iterator.next();
        System.gc();
      }
      for (int i = 0; i < kept.size(); i++) {
        assertArrayEquals(copies.get(i), kept.get(i).data().asFloat(), "batch " + i + " of epoch 0");
      }
      for (int i = 0; i < keptSets.size(); i++) {
        assertArrayEquals(setCopies.get(i), keptSets.get(i).getFeatures().data().asFloat(), "DataSet " + i);
      }
    }
  }

  @Test
  void aLoaderReusesBatchMemoryWhenBatchesAreDropped() throws Exception {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 400, 4);
    InMemoryObjectStore store = new InMemoryObjectStore();
    data.objects().forEach(store::put);
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(store)
        .transform(SyntheticDataset.identify()).batchSize(10).seed(3).prefetchBatches(2).build()) {
      for (int epoch = 0; epoch < 3; epoch++) {
        BatchIterator it = loader.epoch(epoch);
        while (it.hasNext()) {
          Batch batch = it.next();
          float first = batch.features().getFloat(0);
          assertTrue(first >= 0 && first < 400, "a real sample id");
          System.gc();
        }
      }
      io.sluice.loader.LoaderStats stats = loader.stats();
      assertTrue(stats.batchBuffersReused() > 0, "blocks came back and were reused: " + stats);
      assertTrue(stats.batchBuffersMapped() < 120, "not one block per batch: " + stats);
      assertEquals(120, stats.batchBuffersMapped() + stats.batchBuffersReused(), "one tensor per batch");
    }
  }

  /** {@code count} leases of {@code length}-float tensors. */
  private static List<BatchMemory.Lease> leases(BatchMemory memory, int count, long length) {
    List<BatchMemory.Lease> leases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      leases.add(memory.lease(new long[] {length}));
    }
    return leases;
  }
}
