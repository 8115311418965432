package io.sluice.loader.internal;

import io.sluice.loader.Batch;
import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch being filled: a feature tensor over pooled memory ({@link BatchMemory}) that samples write their rows
 * into, and its labels.
 *
 * <p>Rows are written by worker threads, each to its own row; the batch is handed over under the epoch's
 * lock, which orders those writes before the consumer's reads. A skipped row is dropped when the batch is
 * handed out.
 */
final class BatchSlot {
  private final int epoch;
  private final int number;
  private final int[] indices;
  private final boolean[] skipped;
  private final boolean[] padded;
  private final int classes;
  private final float[] labels;
  private final BatchMemory memory;
  private final StatsRecorder stats;
  private BatchMemory.Lease lease;
  private INDArray features;
  private FloatBuffer values; // a view of features' memory, made once
  private ByteBuffer bytes; // the same, for uint8 features
  private boolean uint8;
  private long[] sampleShape;
  private long sampleLength;
  private int remaining;
  private int skippedRows;
  // Guarded by this: rows being written now, and whether the tensor is to be freed once they finish.
  private int writers;
  private boolean released;

  // Tensors besides the features, on the heap: extra inputs, and the targets unless they are the default one-hot.
  private final RowTensor[] extraInputs;
  private final RowTensor[] targets; // null: the one-hot labels above

  BatchSlot(int epoch, int number, int rows, int classes, BatchMemory memory, StatsRecorder stats) {
    this(epoch, number, rows, classes, 0, -1, memory, stats);
  }

  /**
   * @param extraInputs how many inputs each sample has besides its features
   * @param targets how many targets each sample has, or {@code -1} for the default: its label one-hot over
   *     {@code classes}
   */
  BatchSlot(int epoch, int number, int rows, int classes, int extraInputs, int targets, BatchMemory memory,
      StatsRecorder stats) {
    this(epoch, number, rows, classes, extraInputs, targets, false, memory, stats);
  }

  /** As above; with {@code uint8} the features are written as unsigned bytes into a uint8 tensor. */
  BatchSlot(int epoch, int number, int rows, int classes, int extraInputs, int targets, boolean uint8,
      BatchMemory memory, StatsRecorder stats) {
    this.uint8 = uint8;
    this.extraInputs = RowTensor.array(extraInputs, rows);
    this.targets = targets < 0 ? null : RowTensor.array(targets, rows);
    this.memory = memory;
    this.stats = stats;
    this.epoch = epoch;
    this.number = number;
    this.indices = new int[rows];
    this.skipped = new boolean[rows];
    this.padded = new boolean[rows];
    this.classes = classes;
    this.labels = targets < 0 ? new float[rows * Math.max(classes, 1)] : null;
    this.remaining = rows;
  }

  int number() {
    return number;
  }

  int rows() {
    return indices.length;
  }

  /**
   * Writes one sample into row {@code row}.
   *
   * @return the sample shape (the same for every row)
   * @throws SluiceException naming {@code key} if the shape differs from the batch's or the sample does not
   *     write exactly one row
   */
  long[] write(int row, int index, Features sample, int label, String key, boolean pad) {
    return write(row, index, sample, label, null, null, key, pad);
  }

  /**
   * Writes one sample, its extra inputs and its targets into row {@code row}.
   *
   * @param label the label for the default one-hot target; ignored when {@code sampleTargets} is given
   * @param sampleExtraInputs one per extra input of the batch, or null when there are none
   * @param sampleTargets one per target of the batch, or null for the default one-hot
   * @return the sample shape (the same for every row)
   * @throws SluiceException naming {@code key} if a shape differs from the batch's or a tensor does not write
   *     exactly its shape's values
   */
  long[] write(int row, int index, Features sample, int label, Features[] sampleExtraInputs,
      Features[] sampleTargets, String key, boolean pad) {
    for (int i = 0; i < extraInputs.length; i++) {
      extraInputs[i].write(this, row, sampleExtraInputs[i], key, "input " + (i + 1));
    }
    if (targets != null) {
      for (int i = 0; i < targets.length; i++) {
        targets[i].write(this, row, sampleTargets[i], key, "target " + i);
      }
    }
    long[] shape = sample.shape();
    FloatBuffer all;
    ByteBuffer allBytes;
    synchronized (this) {
      if (released) {
        throw new SluiceException("batch " + number + " of epoch " + epoch + " was released (the epoch closed)",
            key, false, null);
      }
      if (features == null) {
        sampleShape = shape.clone();
        sampleLength = 1;
        for (long d : shape) {
          sampleLength *= d;
        }
        long[] batchShape = new long[shape.length + 1];
        batchShape[0] = indices.length;
        System.arraycopy(shape, 0, batchShape, 1, shape.length);
        lease = memory.lease(batchShape, uint8 ? DataType.UINT8 : DataType.FLOAT);
        stats.batchBuffer(lease.reused());
        features = lease.array();
        if (uint8) {
          bytes = features.data().asNio();
        } else {
          values = features.data().asNioFloat();
        }
      } else if (!Arrays.equals(shape, sampleShape)) {
        throw new SluiceException("sample " + key + " has shape " + Arrays.toString(shape)
            + " but batch " + number + " of epoch " + epoch + " holds samples of shape " + Arrays.toString(sampleShape)
            + ": the transform chain must give every sample one shape (add a resize or crop)", key, false, null);
      }
      all = values;
      allBytes = bytes;
      writers++;
    }
    int from = Math.toIntExact(row * sampleLength);
    Buffer slot;
    try {
      if (uint8) {
        ByteBuffer byteSlot = allBytes.duplicate().position(from).limit(Math.toIntExact(from + sampleLength)).slice();
        slot = byteSlot;
        sample.writeTo(byteSlot);
      } else {
        FloatBuffer floatSlot = all.duplicate().position(from).limit(Math.toIntExact(from + sampleLength)).slice();
        slot = floatSlot;
        sample.writeTo(floatSlot);
      }
    } catch (UnsupportedOperationException e) {
      throw new SluiceException("sample " + key + ": " + e.getMessage(), key, false, e);
    } finally {
      synchronized (this) {
        if (--writers == 0 && released) {
          lease.release();
        }
      }
    }
    if (slot.position() != sampleLength) {
      throw new SluiceException("sample " + key + " wrote " + slot.position() + " values but its shape "
          + Arrays.toString(shape) + " holds " + sampleLength, key, false, null);
    }
    indices[row] = index;
    padded[row] = pad;
    if (labels != null && label >= 0) {
      labels[row * classes + label] = 1f;
    }
    return sampleShape;
  }

  /** Counts one finished row; call under the epoch's lock. */
  void rowDone() {
    remaining--;
  }

  /** Marks row {@code row} as skipped and counts it finished; call under the epoch's lock. */
  void rowSkipped(int row) {
    if (!skipped[row]) {
      skipped[row] = true;
      skippedRows++;
      remaining--;
    }
  }

  boolean complete() {
    return remaining == 0;
  }

  /** Whether every row was skipped. */
  boolean empty() {
    return skippedRows == indices.length;
  }

  Batch toBatch() {
    int rows = indices.length - skippedRows;
    int[] kept = new int[rows];
    boolean[] keptPads = new boolean[rows];
    float[] keptLabels = labels;
    INDArray keptFeatures = features;
    int[] keptRows = null;
    if (skippedRows > 0) {
      keptRows = new int[rows];
      keptLabels = labels == null ? null : new float[rows * classes];
      for (int r = 0, k = 0; r < indices.length; r++) {
        if (!skipped[r]) {
          keptRows[k] = r;
          if (labels != null) {
            System.arraycopy(labels, r * classes, keptLabels, k * classes, classes);
          }
          k++;
        }
      }
      if (rows > 0) {
        // getRows works on matrices: view the batch as [rows, sampleLength], pick, then restore the shape.
        long[] shape = features.shape().clone();
        INDArray picked = features.reshape('c', indices.length, sampleLength).getRows(keptRows);
        shape[0] = rows;
        keptFeatures = picked.reshape('c', shape);
      } else {
        long[] shape = features.shape().clone();
        shape[0] = 0;
        keptFeatures = Nd4j.create(DataType.FLOAT, shape);
      }
      lease.release(); // the kept rows were copied; the full tensor never leaves the loader
      for (int k = 0; k < rows; k++) {
        kept[k] = indices[keptRows[k]];
        keptPads[k] = padded[keptRows[k]];
      }
    } else {
      System.arraycopy(indices, 0, kept, 0, rows);
      System.arraycopy(padded, 0, keptPads, 0, rows);
    }
    List<INDArray> inputs = new ArrayList<>(1 + extraInputs.length);
    inputs.add(keptFeatures);
    for (RowTensor t : extraInputs) {
      inputs.add(t.toArray(rows, keptRows));
    }
    List<INDArray> outputs = new ArrayList<>();
    if (targets == null) {
      outputs.add(Nd4j.create(keptLabels, new long[] {rows, classes}, DataType.FLOAT));
    } else {
      for (RowTensor t : targets) {
        outputs.add(t.toArray(rows, keptRows));
      }
    }
    return new Batch(epoch, number, inputs, outputs, kept, keptPads);
  }

  /** A batch tensor besides the features, filled row by row on the heap; its shape is set by the first row. */
  private static final class RowTensor {
    private final int rows;
    private long[] shape; // guarded by the slot
    private int length;
    private float[] values;

    private RowTensor(int rows) {
      this.rows = rows;
    }

    static RowTensor[] array(int count, int rows) {
      RowTensor[] tensors = new RowTensor[count];
      for (int i = 0; i < count; i++) {
        tensors[i] = new RowTensor(rows);
      }
      return tensors;
    }

    void write(BatchSlot slot, int row, Features tensor, String key, String what) {
      if (tensor == null) {
        throw new SluiceException(what + " of " + key + " is null", key, false, null);
      }
      long[] sampleShape = tensor.shape();
      float[] all;
      int n;
      synchronized (slot) {
        if (shape == null) {
          long size = 1;
          for (long d : sampleShape) {
            size *= d;
          }
          shape = sampleShape.clone();
          length = Math.toIntExact(size);
          values = new float[Math.multiplyExact(length, rows)];
        } else if (!Arrays.equals(shape, sampleShape)) {
          throw new SluiceException(what + " of " + key + " has shape " + Arrays.toString(sampleShape) + " but batch "
              + slot.number + " of epoch " + slot.epoch + " holds " + Arrays.toString(shape) + ": every sample's "
              + what + " must have one shape", key, false, null);
        }
        all = values;
        n = length;
      }
      FloatBuffer buffer = FloatBuffer.wrap(all, row * n, n).slice();
      tensor.writeTo(buffer);
      if (buffer.position() != n) {
        throw new SluiceException(what + " of " + key + " wrote " + buffer.position() + " values but its shape "
            + Arrays.toString(shape) + " holds " + n, key, false, null);
      }
    }

    INDArray toArray(int kept, int[] keptRows) {
      if (shape == null) { // no row was written: every one was skipped
        return Nd4j.create(DataType.FLOAT, kept, 0);
      }
      long[] batchShape = new long[shape.length + 1];
      batchShape[0] = kept;
      System.arraycopy(shape, 0, batchShape, 1, shape.length);
      float[] out = values;
      if (keptRows != null) {
        out = new float[kept * length];
        for (int k = 0; k < kept; k++) {
          System.arraycopy(values, keptRows[k] * length, out, k * length, length);
        }
      }
      return Nd4j.create(out, batchShape, DataType.FLOAT);
    }
  }

  /**
   * Gives the feature memory back for a batch that will not be handed out (its epoch closed), now or as soon as
   * the rows being written are.
   */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    if (lease != null && writers == 0) {
      lease.release();
    }
  }
}
