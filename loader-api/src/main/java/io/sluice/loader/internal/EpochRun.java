package io.sluice.loader.internal;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One epoch in progress: issues fetches in reading order, transforms on the worker pool, and hands out
 * batches strictly in order however the fetches complete.
 *
 * <p>Two bounds hold at all times: at most {@code maxInFlight} samples are being fetched or transformed,
 * and no sample is started more than {@code prefetchBatches} batches ahead of the consumer.
 */
final class EpochRun implements BatchIterator {
  private final PipelinedLoader loader;
  private final PipelinedLoader.Config config;
  private final int epoch;
  private final int[] order;
  private final int batches;
  private final StatsRecorder stats = new StatsRecorder();
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final BatchSlot[] slots;
  private int nextToIssue;
  private int inFlight;
  private int consumed;
  private SluiceException failure;
  private boolean closed;

  EpochRun(PipelinedLoader loader, int epoch) {
    this.loader = loader;
    this.config = loader.config();
    this.epoch = epoch;
    int size = config.manifest().size();
    this.order = config.sampler().indices(size, config.seed(), epoch);
    for (int i : order) {
      if (i < 0 || i >= size) {
        throw new IllegalStateException("sampler " + config.sampler() + " returned index " + i
            + " outside the manifest's " + size + " entries");
      }
    }
    this.batches = (order.length + config.batchSize() - 1) / config.batchSize();
    this.slots = new BatchSlot[batches];
  }

  void start() {
    pump();
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

  /** Starts as many samples as the bounds allow. Never called with the lock held by this thread's caller chain. */
  private void pump() {
    List<Integer> start = new ArrayList<>();
    lock.lock();
    try {
      int limitPosition = Math.min(order.length, (consumed + config.prefetchBatches()) * config.batchSize());
      while (!closed && failure == null && inFlight < config.maxInFlight() && nextToIssue < limitPosition) {
        start.add(nextToIssue++);
        inFlight++;
      }
    } finally {
      lock.unlock();
    }
    for (int position : start) {
      issue(position);
    }
  }

  private void issue(int position) {
    int index = order[position];
    ObjectRef ref = config.manifest().ref(index);
    loader.stats.inFlight(1);
    stats.inFlight(1);
    CompletableFuture<StoredObject> fetch;
    try {
      fetch = config.store().get(ref);
    } catch (RuntimeException e) {
      finished(position, e);
      return;
    }
    pending.add(fetch);
    fetch.whenComplete((object, error) -> {
      pending.remove(fetch);
      if (error != null) {
        finished(position, error);
        return;
      }
      loader.stats.fetched(object.size());
      stats.fetched(object.size());
      try {
        loader.workers().execute(() -> transform(position, object));
      } catch (RejectedExecutionException e) {
        finished(position, e);
      }
    });
  }

  private void transform(int position, StoredObject object) {
    int index = order[position];
    Manifest manifest = config.manifest();
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
      BatchSlot slot = slot(position / config.batchSize());
      if (slot == null) {
        finished(position, null);
        return;
      }
      long[] shape = slot.write(position % config.batchSize(), features, label, object.uri());
      loader.sampleShape(shape);
      finished(position, null);
    } catch (Throwable t) {
      finished(position, t);
    }
  }

  private BatchSlot slot(int number) {
    lock.lock();
    try {
      if (closed) {
        return null;
      }
      BatchSlot slot = slots[number];
      if (slot == null) {
        int from = number * config.batchSize();
        int[] indices = Arrays.copyOfRange(order, from, Math.min(order.length, from + config.batchSize()));
        slot = new BatchSlot(epoch, number, indices, config.manifest().labels().size());
        slots[number] = slot;
      }
      return slot;
    } finally {
      lock.unlock();
    }
  }

  /** Records the end of one sample's work, successful ({@code error == null}) or not, then refills. */
  private void finished(int position, Throwable error) {
    loader.stats.inFlight(-1);
    stats.inFlight(-1);
    lock.lock();
    try {
      inFlight--;
      if (error != null) {
        if (failure == null && !closed) {
          failure = describe(position, error);
        }
      } else if (!closed) {
        slots[position / config.batchSize()].rowDone();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (error == null) {
      pump();
    }
  }

  private SluiceException describe(int position, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    int index = order[position];
    String uri = config.manifest().uri(index);
    boolean retryable = cause instanceof SluiceException s && s.retryable();
    String reason = cause instanceof SluiceException ? cause.getMessage() : String.valueOf(cause);
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
    loader.stats.delivered(batch.size(), waited);
    pump();
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
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Arrays.fill(slots, null);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (CompletableFuture<?> f : pending) {
      f.cancel(true);
    }
    loader.forget(this);
  }

  @Override
  public String toString() {
    return "EpochRun{epoch=" + epoch + ", batches=" + batches + "}";
  }
}
