package io.sluice.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the driver sends an executor for one batch: which manifest (by digest), which epoch, which shard of how
 * many, which batch, and the range of batches its task reads in one stream. Travels as a relative path string
 * (dl4j-spark's {@code fitPaths} hands paths to the loader), e.g.
 * {@code sluice/3f2a.../epoch-0/shard-1-of-2/batches-0-5/batch-3}.
 */
record ShardBatch(String digest, int epoch, int shard, int shards, int from, int to, int batch) {
  private static final Pattern FORM = Pattern.compile(
      "sluice/([0-9a-f]{8,128})/epoch-(\\d+)/shard-(\\d+)-of-(\\d+)/batches-(\\d+)-(\\d+)/batch-(\\d+)");

  ShardBatch {
    if (epoch < 0 || shards < 1 || shard < 0 || shard >= shards || from < 0 || to <= from || batch < from
        || batch >= to) {
      throw new IllegalArgumentException("not a valid batch descriptor: epoch " + epoch + ", shard " + shard + " of "
          + shards + ", batches " + from + "-" + to + ", batch " + batch);
    }
  }

  /** The descriptor as a path. */
  String path() {
    return "sluice/" + digest + "/epoch-" + epoch + "/shard-" + shard + "-of-" + shards + "/batches-" + from + "-" + to
        + "/batch-" + batch;
  }

  /** The stream this batch belongs to: the same descriptor without the batch number. */
  String range() {
    return "epoch " + epoch + ", shard " + shard + " of " + shards + ", batches " + from + "-" + to;
  }

  /** Whether {@code other} belongs to the same stream. */
  boolean sameRange(ShardBatch other) {
    return digest.equals(other.digest) && epoch == other.epoch && shard == other.shard && shards == other.shards
        && from == other.from && to == other.to;
  }

  /**
   * Parses {@link #path()}; a Hadoop-qualified form ({@code file:/.../sluice/...}) is accepted too.
   *
   * @throws IllegalArgumentException naming the text if it is not a descriptor
   */
  static ShardBatch parse(String path) {
    Matcher m = FORM.matcher(path);
    if (!m.find() || !path.endsWith(m.group())) {
      throw new IllegalArgumentException("'" + path + "' is not a Sluice batch descriptor (expected the form "
          + "sluice/<digest>/epoch-E/shard-S-of-N/batches-A-B/batch-K)");
    }
    try {
      return new ShardBatch(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
          Integer.parseInt(m.group(7)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + path + "' has a number out of range", e);
    }
  }
}
