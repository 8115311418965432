package io.sluice.loader;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch: features, one-hot labels and which manifest entries they came from.
 *
 * @param epoch the epoch this batch belongs to
 * @param number the batch's position in its epoch, from 0
 * @param features {@code [rows, ...sample shape]}, float32
 * @param labels {@code [rows, classes]} one-hot, float32
 * @param indices the manifest index of each row
 * @param padded which rows are pads: repeats added so every rank reads the same count ({@link Remainder#PAD})
 */
public record Batch(int epoch, int number, INDArray features, INDArray labels, int[] indices, boolean[] padded) {

  /** The number of samples in this batch (the last batch of an epoch may be short). */
  public int size() {
    return indices.length;
  }

  /** The number of pad rows. */
  public int pads() {
    int n = 0;
    for (boolean p : padded) {
      n += p ? 1 : 0;
    }
    return n;
  }

  /**
   * The batch as a DL4J {@link DataSet} sharing the same arrays. Pad rows get a zero in the labels mask, so
   * DL4J leaves them out of the loss and of evaluation.
   */
  public DataSet toDataSet() {
    if (pads() == 0) {
      return new DataSet(features, labels);
    }
    float[] mask = new float[padded.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = padded[i] ? 0f : 1f;
    }
    INDArray labelsMask = Nd4j.create(mask, new long[] {padded.length, 1}, DataType.FLOAT);
    return new DataSet(features, labels, null, labelsMask);
  }

  @Override
  public String toString() {
    return "Batch{epoch=" + epoch + ", number=" + number + ", size=" + indices.length + ", pads=" + pads() + "}";
  }
}
