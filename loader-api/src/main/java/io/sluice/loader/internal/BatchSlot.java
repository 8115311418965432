package io.sluice.loader.internal;

import io.sluice.loader.Batch;
import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch being filled: a preallocated feature tensor that samples write their rows into, and its labels.
 *
 * <p>Rows are written by worker threads, each to its own row; the batch is handed over under the epoch's
 * lock, which orders those writes before the consumer's reads.
 */
final class BatchSlot {
  private final int epoch;
  private final int number;
  private final int[] indices;
  private final int classes;
  private final float[] labels;
  private INDArray features;
  private long[] sampleShape;
  private long sampleLength;
  private int remaining;

  BatchSlot(int epoch, int number, int[] indices, int classes) {
    this.epoch = epoch;
    this.number = number;
    this.indices = indices;
    this.classes = classes;
    this.labels = new float[indices.length * Math.max(classes, 1)];
    this.remaining = indices.length;
  }

  /**
   * Writes one sample into row {@code row}.
   *
   * @return the sample shape (the same for every row)
   * @throws SluiceException naming {@code key} if the shape differs from the batch's or the sample does not
   *     write exactly one row
   */
  long[] write(int row, Features sample, int label, String key) {
    long[] shape = sample.shape();
    FloatBuffer all;
    synchronized (this) {
      if (features == null) {
        sampleShape = shape.clone();
        sampleLength = 1;
        for (long d : shape) {
          sampleLength *= d;
        }
        long[] batchShape = new long[shape.length + 1];
        batchShape[0] = indices.length;
        System.arraycopy(shape, 0, batchShape, 1, shape.length);
        features = Nd4j.createUninitialized(DataType.FLOAT, batchShape, 'c');
      } else if (!Arrays.equals(shape, sampleShape)) {
        throw new SluiceException("sample " + key + " has shape " + Arrays.toString(shape)
            + " but batch " + number + " of epoch " + epoch + " holds samples of shape " + Arrays.toString(sampleShape)
            + ": the transform chain must give every sample one shape (add a resize or crop)", key, false, null);
      }
      all = features.data().asNioFloat();
    }
    int from = Math.toIntExact(row * sampleLength);
    FloatBuffer slot = all.duplicate().position(from).limit(Math.toIntExact(from + sampleLength)).slice();
    sample.writeTo(slot);
    if (slot.position() != sampleLength) {
      throw new SluiceException("sample " + key + " wrote " + slot.position() + " values but its shape "
          + Arrays.toString(shape) + " holds " + sampleLength, key, false, null);
    }
    if (label >= 0) {
      labels[row * classes + label] = 1f;
    }
    return sampleShape;
  }

  /** Counts one finished row; true when it was the last. Call under the epoch's lock. */
  boolean rowDone() {
    return --remaining == 0;
  }

  boolean complete() {
    return remaining == 0;
  }

  Batch toBatch() {
    INDArray labelArray = Nd4j.create(labels, new long[] {indices.length, classes}, DataType.FLOAT);
    return new Batch(epoch, number, features, labelArray, indices);
  }
}
