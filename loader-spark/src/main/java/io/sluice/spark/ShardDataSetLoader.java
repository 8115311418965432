package io.sluice.spark;

import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import java.io.Serial;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The {@link DataSetLoader} dl4j-spark's {@code fitPaths} calls on an executor once per descriptor path. It never
 * opens the path: it parses the {@link ShardBatch} descriptor and hands out that batch from a {@link RoundReader}
 * that streams the task's whole batch range through one Sluice loader (concurrent GETs, prefetch), opened at the
 * range's first batch and closed after its last one or when the task ends.
 */
final class ShardDataSetLoader implements DataSetLoader {
  @Serial
  private static final long serialVersionUID = 1L;

  private final ShardJob job;
  /** The epoch's accumulators, or {@code null} when nothing counts (a custom driver's loader). */
  private final ShardCounters counters;
  private transient ShardBatch stream;
  private transient RoundReader reader;
  /** This task's own store, when the provider is not a value the JVM can share a store for. */
  private transient ObjectStore ownStore;

  ShardDataSetLoader(ShardJob job, ShardCounters counters) {
    this.job = job;
    this.counters = counters;
  }

  @Override
  public synchronized DataSet load(Source source) {
    long start = System.nanoTime();
    DataSet loaded = read(source);
    if (counters != null) {
      counters.batch(loaded.numExamples(), System.nanoTime() - start);
    }
    return loaded;
  }

  private DataSet read(Source source) {
    ShardBatch batch = ShardBatch.parse(source.getPath());
    if (!batch.digest().equals(job.digest())) {
      throw new SluiceException("descriptor " + batch.path() + " is for manifest digest " + batch.digest()
          + " but this job reads " + job.manifest() + " with digest " + job.digest());
    }
    if (reader == null || !stream.sameRange(batch)) {
      if (reader != null && !reader.finished()) {
        throw new IllegalStateException("this task got batch " + batch.batch() + " (" + batch.range() + ") while "
            + "its stream over " + stream.range() + " was at batch " + reader.nextBatch() + ": a task must read "
            + "whole ranges in order; build the training master with SparkLoader.trainingMaster(...)");
      }
      open(batch);
    }
    return reader.next(batch.batch());
  }

  private void open(ShardBatch batch) {
    Manifest manifest = ExecutorResources.manifest(job);
    TaskContext task = TaskContext.get();
    ObjectStore store;
    if (ExecutorResources.shared(job.store())) {
      store = ExecutorResources.store(job.store());
    } else {
      if (ownStore == null) {
        ObjectStore created = job.store().create();
        ownStore = created;
        if (task != null) {
          task.addTaskCompletionListener((TaskCompletionListener) unused -> created.close());
        }
      }
      store = ownStore;
    }
    RoundReader opened = new RoundReader(job, manifest, store, batch.epoch(), batch.shard(), batch.from(),
        batch.to(), counters == null ? null : counters::loader);
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) unused -> opened.close());
    }
    this.reader = opened;
    this.stream = batch;
  }
}
