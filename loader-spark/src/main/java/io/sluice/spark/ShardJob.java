package io.sluice.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * Everything an executor needs to read any batch of the job, shipped once with the task: where the manifest is and
 * its digest, how to build the store and the transform chain, and the loader's settings. Never sample bytes.
 */
record ShardJob(ManifestSource manifest, String digest, StoreProvider store, TransformProvider transform,
    LoaderTuning tuning, int batchSize, long seed, int shards) implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;
}
