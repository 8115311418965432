package io.sluice.loader;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One batch: features, one-hot labels and which manifest entries they came from.
 *
 * @param epoch the epoch this batch belongs to
 * @param number the batch's position in its epoch, from 0
 * @param features {@code [rows, ...sample shape]}, float32
 * @param labels {@code [rows, classes]} one-hot, float32
 * @param indices the manifest index of each row
 */
public record Batch(int epoch, int number, INDArray features, INDArray labels, int[] indices) {

  /** The number of samples in this batch (the last batch of an epoch may be short). */
  public int size() {
    return indices.length;
  }

  /** The batch as a DL4J {@link DataSet} sharing the same arrays. */
  public DataSet toDataSet() {
    return new DataSet(features, labels);
  }

  @Override
  public String toString() {
    return "Batch{epoch=" + epoch + ", number=" + number + ", size=" + indices.length + "}";
  }
}
