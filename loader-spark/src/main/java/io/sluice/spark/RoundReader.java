package io.sluice.spark;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.EpochPlan;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.LoaderState;
import io.sluice.loader.Remainder;
import io.sluice.loader.Sampler;
import io.sluice.loader.Sharding;
import io.sluice.loader.World;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reads batches {@code [from, to)} of one shard of one epoch, exactly as a one-process loader of that rank would
 * cut them, with one Sluice loader that fetches ahead concurrently and stops at the range's end: no object past it
 * is requested.
 *
 * <p>The shard's plan is the one-process plan ({@link EpochPlan}: shuffled, by key, padded). Its real entries in
 * the range are read through a loader whose sampler ends with them, resumed just before them; pad entries (repeats
 * that keep ranks at equal counts, at most one per shard) through a second loader afterwards, then appended to the
 * last batch and marked as pads. Not thread-safe.
 */
final class RoundReader implements AutoCloseable {
  /** The shuffling, sharding and remainder of the one-process run this reproduces. */
  static final Sampler SAMPLER = Sampler.shuffled();
  static final Sharding SHARDING = Sharding.byKey();
  static final Remainder REMAINDER = Remainder.PAD;

  private final ShardJob job;
  private final Manifest manifest;
  private final ObjectStore store;
  private final int epoch;
  private final int from;
  private final int to;
  private final int[] padIndices;
  /** Real (not pad) rows of the range. */
  private final int realRows;
  /** Real rows handed out by the real loader so far (as planned, skipped ones included). */
  private int realRowsRead;
  private final List<AutoCloseable> open = new ArrayList<>();
  /** Told what each loader did when it closes, or {@code null}. */
  private final Consumer<LoaderStats> closedLoaders;
  private final Deque<DataSet> ready = new ArrayDeque<>();
  private BatchIterator real;
  private int next;

  RoundReader(ShardJob job, Manifest manifest, ObjectStore store, int epoch, int shard, int from, int to,
      Consumer<LoaderStats> closedLoaders) {
    this.job = job;
    this.closedLoaders = closedLoaders;
    this.manifest = manifest;
    this.store = store;
    this.epoch = epoch;
    this.from = from;
    this.to = to;
    this.next = from;
    EpochPlan plan = plan(manifest, job.seed(), epoch, shard, job.shards());
    int[] indices = plan.indices();
    int realCount = indices.length - plan.pads();
    int start = from * job.batchSize();
    int end = Math.min(to * job.batchSize(), indices.length);
    if (start >= end) {
      throw new IllegalArgumentException("batches " + from + "-" + to + " are past the end of shard " + shard
          + "'s " + batchCount(indices.length, job.batchSize()) + " batches in epoch " + epoch);
    }
    int realEnd = Math.max(start, Math.min(end, realCount));
    this.realRows = realEnd - start;
    int[] realIndices = Arrays.copyOfRange(indices, start, realEnd);
    this.padIndices = Arrays.copyOfRange(indices, realEnd, end);
    if (realIndices.length > 0) {
      real = open(realIndices);
    }
  }

  /** The one-process plan of {@code shard}. */
  static EpochPlan plan(Manifest manifest, long seed, int epoch, int shard, int shards) {
    return EpochPlan.compute(manifest, SAMPLER, SHARDING, REMAINDER, seed, epoch, World.of(shard, shards), 0);
  }

  static int batchCount(int samples, int batchSize) {
    return (samples + batchSize - 1) / batchSize;
  }

  private BatchIterator open(int[] tail) {
    TailSampler sampler = new TailSampler(epoch, tail);
    DataLoader.Builder builder = DataLoader.builder();
    job.tuning().apply(builder);
    DataLoader loader = builder.manifest(manifest).store(store).transform(job.transform().create())
        .batchSize(job.batchSize()).seed(job.seed()).sampler(sampler).sharding(SHARDING).remainder(REMAINDER)
        .world(World.single())
        .resumeFrom(new LoaderState(manifest.digest(), job.seed(), epoch, manifest.size() - tail.length, 1,
            sampler.id(), SHARDING.id(), REMAINDER))
        .build();
    open.add(loader);
    BatchIterator batches = loader.epoch(epoch);
    open.add(batches);
    return batches;
  }

  /** The batch after the last one handed out. */
  int nextBatch() {
    return next;
  }

  boolean finished() {
    return next >= to;
  }

  /**
   * Batch {@code number} of the shard, which must be the next one.
   *
   * @throws IllegalStateException if {@code number} is not the next batch of the range
   */
  DataSet next(int number) {
    if (number != next) {
      throw new IllegalStateException("batch " + number + " was asked for, but this task's stream over batches "
          + from + "-" + to + " of epoch " + epoch + " is at batch " + next
          + "; dl4j-spark must hand a task its batches in order (configure it with SparkLoader.trainingMaster)");
    }
    if (ready.isEmpty()) {
      fill();
    }
    DataSet batch = ready.poll();
    if (batch == null) {
      throw new IllegalStateException("the stream over batches " + from + "-" + to + " of epoch " + epoch
          + " ended at batch " + number);
    }
    next++;
    if (finished()) {
      close();
    }
    return batch;
  }

  private void fill() {
    if (real != null && real.hasNext()) {
      Batch batch = filled(real.next());
      if (real.hasNext() || padIndices.length == 0) {
        ready.add(batch.toDataSet());
        return;
      }
      appendPads(batch);
      return;
    }
    if (padIndices.length > 0 && ready.isEmpty()) {
      appendPads(null);
    }
  }

  /**
   * {@code batch} at its planned row count: rows the failure policy skipped are replaced by masked repeats of its
   * first row (marked as pads), so that dl4j-spark, which re-cuts short minibatches by merging them with the next
   * one, trains on the batches as planned.
   */
  private Batch filled(Batch batch) {
    int planned = Math.min(job.batchSize(), realRows - realRowsRead);
    realRowsRead += planned;
    int missing = planned - batch.size();
    if (missing <= 0) {
      return batch;
    }
    INDArray first = batch.features().get(NDArrayIndex.interval(0, 1));
    INDArray firstLabels = batch.labels().get(NDArrayIndex.interval(0, 1));
    INDArray[] features = new INDArray[missing + 1];
    INDArray[] labels = new INDArray[missing + 1];
    features[0] = batch.features();
    labels[0] = batch.labels();
    for (int i = 1; i <= missing; i++) {
      features[i] = first;
      labels[i] = firstLabels;
    }
    int[] indices = Arrays.copyOf(batch.indices(), planned);
    boolean[] padded = Arrays.copyOf(batch.padded(), planned);
    for (int i = batch.size(); i < planned; i++) {
      indices[i] = batch.indices()[0];
      padded[i] = true;
    }
    return new Batch(batch.epoch(), batch.number(), Nd4j.concat(0, features), Nd4j.concat(0, labels), indices,
        padded);
  }

  /** Reads the pad entries and adds them after {@code last} (or alone), cut into batches, marked as pads. */
  private void appendPads(Batch last) {
    BatchIterator pads = open(padIndices);
    List<INDArray> features = new ArrayList<>();
    List<INDArray> labels = new ArrayList<>();
    int rows = 0;
    boolean[] padded;
    int[] indices;
    int lastRows = last == null ? 0 : last.size();
    if (last != null) {
      features.add(last.features());
      labels.add(last.labels());
    }
    while (pads.hasNext()) {
      Batch b = pads.next();
      features.add(b.features());
      labels.add(b.labels());
      rows += b.size();
    }
    pads.close();
    if (rows != padIndices.length) {
      throw new IllegalStateException("read " + rows + " pad entries of " + padIndices.length);
    }
    int total = lastRows + rows;
    indices = new int[total];
    padded = new boolean[total];
    for (int i = 0; i < lastRows; i++) {
      indices[i] = last.indices()[i];
      padded[i] = last.padded()[i];
    }
    for (int i = 0; i < rows; i++) {
      indices[lastRows + i] = padIndices[i];
      padded[lastRows + i] = true;
    }
    INDArray allFeatures = features.size() == 1 ? features.get(0) : Nd4j.concat(0, features.toArray(INDArray[]::new));
    INDArray allLabels = labels.size() == 1 ? labels.get(0) : Nd4j.concat(0, labels.toArray(INDArray[]::new));
    int b = job.batchSize();
    for (int at = 0, number = next + ready.size(); at < total; at += b, number++) {
      int end = Math.min(total, at + b);
      INDArray f = allFeatures.get(NDArrayIndex.interval(at, end)).dup();
      INDArray l = allLabels.get(NDArrayIndex.interval(at, end)).dup();
      ready.add(new Batch(epoch, number, f, l, Arrays.copyOfRange(indices, at, end),
          Arrays.copyOfRange(padded, at, end)).toDataSet());
    }
  }

  /** Stops the loaders (idempotent); fetches not yet consumed are cancelled. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        AutoCloseable closing = open.get(i);
        if (closedLoaders != null && closing instanceof DataLoader loader) {
          closedLoaders.accept(loader.stats());
        }
        closing.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("cannot close the loader of epoch " + epoch + ", batches " + from
              + "-" + to, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    open.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
