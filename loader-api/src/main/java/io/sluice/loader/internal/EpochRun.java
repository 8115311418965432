package io.sluice.loader.internal;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.EpochPlan;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderState;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.fetch.FailurePolicy;
import io.sluice.loader.fetch.SkippedSample;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoch in progress: starts fetches in reading order, transforms on the worker pool, and hands out
 * batches in order however the fetches complete.
 *
 * <p>Bounds: fetches in flight and object bytes held are limited loader-wide by the {@link FetchGate}; no
 * sample starts more than {@code prefetchBatches} batches ahead of the consumer.
 *
 * <p>Placement: in ordered mode (the default) the sample at reading position {@code p} goes to row
 * {@code p % batchSize} of batch {@code p / batchSize}, so batches do not depend on timing. In unordered mode
 * samples take rows in the order their fetches complete.
 */
final class EpochRun implements BatchIterator {
  private static final Logger LOG = LoggerFactory.getLogger(EpochRun.class);

  private final PipelinedLoader loader;
  private final PipelinedLoader.Config config;
  private final int epoch;
  private final EpochPlan plan;
  private final int[] order;
  private final int batches;
  private final StatsRecorder stats;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final BatchSlot[] slots;
  private int nextToIssue;
  private int placed;
  private int consumed;
  private long skipped;
  private SluiceException failure;
  private boolean closed;

  EpochRun(PipelinedLoader loader, int epoch) {
    this.loader = loader;
    this.config = loader.config();
    this.epoch = epoch;
    this.stats = new StatsRecorder(loader.stats, loader.gate()::limit);
    this.plan = loader.plan(epoch);
    this.order = plan.indices();
    this.batches = (order.length + config.batchSize() - 1) / config.batchSize();
    this.slots = new BatchSlot[batches];
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public int batches() {
    return batches;
  }

  @Override
  public LoaderStats stats() {
    return stats.snapshot();
  }

  @Override
  public LoaderState state() {
    if (!config.ordered()) {
      throw new IllegalStateException("an unordered loader cannot be resumed exactly: which samples it has "
          + "handed out depends on timing; build it with ordered(true) to take its state");
    }
    int consumedBatches;
    lock.lock();
    try {
      consumedBatches = consumed;
    } finally {
      lock.unlock();
    }
    int perRank = (int) Math.min((long) consumedBatches * config.batchSize(), order.length);
    return new LoaderState(config.manifest().digest(), config.seed(), epoch, plan.globalPosition(perRank),
        config.world().size(), config.sampling());
  }

  /** Starts as many samples as the bounds allow. */
  void pump() {
    int first;
    long[] reserved = null; // bytes reserved for positions first, first + 1, ...
    int started = 0;
    lock.lock();
    try {
      first = nextToIssue;
      int limitPosition = Math.min(order.length, (consumed + config.prefetchBatches()) * config.batchSize());
      while (!closed && failure == null && nextToIssue < limitPosition) {
        long expected = loader.expectedBytes(config.manifest().objectSize(order[nextToIssue]));
        if (!loader.gate().tryAcquire(expected)) {
          break;
        }
        if (reserved == null) {
          reserved = new long[limitPosition - first];
        }
        reserved[started++] = expected;
        nextToIssue++;
      }
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < started; i++) {
      issue(first + i, reserved[i]);
    }
  }

  private void issue(int position, long reservedBytes) {
    int index = order[position];
    ObjectRef ref = config.manifest().ref(index);
    stats.inFlight(1);
    stats.bytesInFlight(reservedBytes);
    CompletableFuture<StoredObject> fetch;
    try {
      fetch = loader.fetcher().fetch(ref, stats);
    } catch (RuntimeException e) {
      fetch = CompletableFuture.failedFuture(e);
    }
    pending.add(fetch);
    CompletableFuture<StoredObject> sent = fetch;
    fetch.whenComplete((object, error) -> {
      pending.remove(sent);
      loader.gate().fetchDone();
      long held = reservedBytes;
      if (object != null) {
        loader.observedSize(object.size());
        held = object.size();
        loader.gate().adjustBytes(held - reservedBytes);
        stats.bytesInFlight(held - reservedBytes);
      }
      long release = held;
      if (error != null) {
        finished(position, null, release, error);
      } else {
        try {
          loader.workers().execute(() -> transform(position, object, release));
        } catch (RejectedExecutionException e) {
          finished(position, null, release, e);
        }
      }
      loader.pumpAll();
    });
  }

  /** Where the sample at {@code position} goes: {@code batch * batchSize + row}. Call under the lock. */
  private int place(int position) {
    return config.ordered() ? position : placed++;
  }

  private void transform(int position, StoredObject object, long heldBytes) {
    int index = order[position];
    Manifest manifest = config.manifest();
    int placement;
    BatchSlot slot;
    lock.lock();
    try {
      placement = place(position);
      slot = closed ? null : slot(placement / config.batchSize());
    } finally {
      lock.unlock();
    }
    if (slot == null) {
      finished(position, null, heldBytes, null);
      return;
    }
    try {
      int label = manifest.label(index);
      if (label == Manifest.NO_LABEL) {
        throw new SluiceException("entry " + index + " (" + object.uri() + ") has no label", object.uri(), false, null);
      }
      SampleContext context = SampleContext.of(object.uri(), index, epoch, Seeds.sampleRandom(config.seed(), epoch, index));
      Features features = config.transform().apply(object, context);
      if (features == null) {
        throw new SluiceException("transform chain returned null for " + object.uri(), object.uri(), false, null);
      }
      long[] shape = slot.write(placement % config.batchSize(), index, features, label, object.uri(),
          plan.padded(position));
      loader.sampleShape(shape);
      finished(position, placement, heldBytes, null);
    } catch (Throwable t) {
      finished(position, placement, heldBytes, t);
    }
  }

  /** The slot for batch {@code number}, created on first use. Call under the lock. */
  private BatchSlot slot(int number) {
    BatchSlot slot = slots[number];
    if (slot == null) {
      int rows = Math.min(config.batchSize(), order.length - number * config.batchSize());
      slot = new BatchSlot(epoch, number, rows, config.manifest().labels().size(), loader.batchMemory(), stats);
      slots[number] = slot;
    }
    return slot;
  }

  /**
   * Records the end of one sample's work, successful ({@code error == null}) or not, then refills.
   *
   * @param placement where the sample went, or {@code null} if it failed before being placed
   */
  private void finished(int position, Integer placement, long heldBytes, Throwable error) {
    stats.inFlight(-1);
    stats.bytesInFlight(-heldBytes);
    loader.gate().adjustBytes(-heldBytes);
    lock.lock();
    try {
      if (closed) {
        return;
      }
      int at = placement != null ? placement : place(position);
      BatchSlot slot = slot(at / config.batchSize());
      if (error == null) {
        slot.rowDone();
      } else {
        sampleFailed(position, slot, at % config.batchSize(), error);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
      loader.pumpAll();
    }
  }

  /** Applies the failure policy to one sample. Call under the lock. */
  private void sampleFailed(int position, BatchSlot slot, int row, Throwable error) {
    SluiceException described = describe(position, error);
    FailurePolicy policy = config.fetchPolicy().onFailure();
    if (!policy.skip()) {
      if (failure == null) {
        failure = described;
      }
      return;
    }
    skipped++;
    stats.skipped();
    loader.recordSkipped(new SkippedSample(described.key(), order[position], epoch, described.getMessage()));
    LOG.warn("skipping {}", described.getMessage());
    if (policy.overBudget(skipped, order.length) && failure == null) {
      failure = new SluiceException("epoch " + epoch + " skipped " + skipped + " of " + order.length
          + " samples, over the budget (at most " + policy.maxSkipped() + " or " + policy.maxSkippedFraction() * 100
          + "%); the last: " + described.getMessage(), described.key(), described.retryable(), described);
      return;
    }
    slot.rowSkipped(row);
    if (slot.complete() && slot.empty() && failure == null) {
      failure = new SluiceException("every sample of batch " + slot.number() + " in epoch " + epoch
          + " was skipped; the last: " + described.getMessage(), described.key(), false, described);
    }
  }

  private SluiceException describe(int position, Throwable error) {
    Throwable cause = Fetcher.unwrap(error);
    int index = order[position];
    String uri = config.manifest().uri(index);
    boolean retryable = cause instanceof SluiceException s && s.retryable();
    String reason = Fetcher.describe(cause);
    return new SluiceException("cannot load " + uri + " (manifest entry " + index + ", epoch " + epoch + "): "
        + reason, uri, retryable, cause);
  }

  @Override
  public boolean hasNext() {
    lock.lock();
    try {
      return !closed && consumed < batches;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Batch next() {
    Batch batch;
    long waited;
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("epoch " + epoch + " iterator is closed");
      }
      if (consumed >= batches) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches (" + batches + " in all)");
      }
      long waitStart = System.nanoTime();
      while (failure == null && !closed && (slots[consumed] == null || !slots[consumed].complete())) {
        changed.awaitUninterruptibly();
      }
      waited = System.nanoTime() - waitStart;
      if (failure != null) {
        throw new SluiceException(failure.getMessage(), failure.key(), failure.retryable(), failure);
      }
      if (closed) {
        throw new IllegalStateException("epoch " + epoch + " iterator was closed while waiting");
      }
      batch = slots[consumed].toBatch();
      slots[consumed] = null;
      consumed++;
    } finally {
      lock.unlock();
    }
    stats.delivered(batch.size(), waited);
    if (batch.number() == batches - 1) {
      LOG.info("epoch {} done: {}", epoch, stats.snapshot());
    }
    loader.pumpSoon(this);
    return batch;
  }

  /** Blocks until some sample's shape is known; used to answer {@code inputColumns()} before any batch. */
  void awaitFirstSample() {
    lock.lock();
    try {
      while (failure == null && !closed && loader.knownSampleShape() == null && consumed < batches) {
        changed.awaitUninterruptibly();
      }
      if (failure != null && loader.knownSampleShape() == null) {
        throw new SluiceException(failure.getMessage(), failure.key(), failure.retryable(), failure);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    List<BatchSlot> release = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (int i = 0; i < slots.length; i++) {
        if (slots[i] != null) {
          release.add(slots[i]);
          slots[i] = null;
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (CompletableFuture<?> f : pending) {
      f.cancel(true);
    }
    release.forEach(BatchSlot::release);
    loader.forget(this);
  }

  @Override
  public String toString() {
    return "EpochRun{epoch=" + epoch + ", batches=" + batches + "}";
  }
}
