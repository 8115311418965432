package io.sluice.loader;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch: its input tensors, its target tensors and which manifest entries they came from.
 *
 * <p>By default a batch has one input, the features the transform chain wrote ({@code [rows, ...sample
 * shape]}, float32), and one target, the label one-hot
 * ({@code [rows, classes]}, float32). With {@link DataLoader.Builder#targets} it has those targets instead (none
 * for inference), and with {@link DataLoader.Builder#extraInputs} further inputs after the features.
 *
 * @param epoch the epoch this batch belongs to
 * @param number the batch's position in its epoch, from 0
 * @param inputs the features first, then any extra inputs; each {@code [rows, ...]}
 * @param outputs the targets, each {@code [rows, ...]}; empty for inference
 * @param indices the manifest index of each row
 * @param padded which rows are pads: repeats added so every rank reads the same count ({@link Remainder#PAD})
 */
public record Batch(int epoch, int number, List<INDArray> inputs, List<INDArray> outputs, int[] indices,
    boolean[] padded) {

  /** Copies the lists; they must not be empty of inputs. */
  public Batch {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one input");
    }
  }

  /** A batch of one input and one target (or none, when {@code labels} is null). */
  public Batch(int epoch, int number, INDArray features, INDArray labels, int[] indices, boolean[] padded) {
    this(epoch, number, List.of(Objects.requireNonNull(features, "features")),
        labels == null ? List.of() : List.of(labels), indices, padded);
  }

  /** The first input: the features the transform chain wrote. */
  public INDArray features() {
    return inputs.get(0);
  }

  /** The first target (the one-hot labels by default), or {@code null} when the batch has none. */
  public INDArray labels() {
    return outputs.isEmpty() ? null : outputs.get(0);
  }

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
   * DL4J leaves them out of the loss and of evaluation; labels of rank above 2 (boxes, masks) get no mask, as
   * DL4J's output layers for them take masks of other shapes. A batch without targets gives labels {@code null}.
   *
   * @throws IllegalStateException if the batch has more than one input or target: use {@link #toMultiDataSet()}
   */
  public DataSet toDataSet() {
    if (inputs.size() > 1 || outputs.size() > 1) {
      throw new IllegalStateException("this batch has " + inputs.size() + " inputs and " + outputs.size()
          + " targets: a DataSet holds one of each; use toMultiDataSet() (or asMultiDataSetIterator())");
    }
    INDArray labels = labels();
    if (pads() == 0 || labels == null || labels.rank() != 2) {
      return new DataSet(features(), labels);
    }
    return new DataSet(features(), labels, null, padMask());
  }

  /**
   * The batch as a DL4J {@link MultiDataSet} sharing the same arrays, for a {@code ComputationGraph} with
   * several inputs or outputs. Pad rows get a zero in the mask of every {@code [rows, n]} target; targets of
   * higher rank get no mask.
   */
  public MultiDataSet toMultiDataSet() {
    INDArray[] labels = outputs.toArray(new INDArray[0]);
    INDArray[] masks = null;
    if (pads() > 0 && labels.length > 0) {
      masks = new INDArray[labels.length];
      INDArray mask = padMask();
      for (int i = 0; i < masks.length; i++) {
        masks[i] = labels[i].rank() == 2 ? mask : null;
      }
    }
    return new MultiDataSet(inputs.toArray(new INDArray[0]), labels, null, masks);
  }

  private INDArray padMask() {
    float[] mask = new float[padded.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = padded[i] ? 0f : 1f;
    }
    return Nd4j.create(mask, new long[] {padded.length, 1}, DataType.FLOAT);
  }

  @Override
  public String toString() {
    return "Batch{epoch=" + epoch + ", number=" + number + ", size=" + indices.length + ", pads=" + pads()
        + ", inputs=" + inputs.size() + ", targets=" + outputs.size() + "}";
  }
}
