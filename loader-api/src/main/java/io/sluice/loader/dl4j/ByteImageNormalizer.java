package io.sluice.loader.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns uint8 NCHW image batches ({@code DataLoader.Builder.uint8Features(true)}) into float32 where the
 * arrays live, after the transfer: {@code (value * scale - mean[c]) / std[c]}. Set it as the iterator's
 * pre-processor; with a GPU backend the cast and the arithmetic run on the device.
 *
 * <pre>{@code
 * DataSetIterator it = loader.asDataSetIterator();
 * it.setPreProcessor(ByteImageNormalizer.normalize(1 / 255f, MEAN, STD));
 * }</pre>
 *
 * <p>Only the first input is converted; batches whose first input is not uint8 are left alone.
 */
public final class ByteImageNormalizer implements DataSetPreProcessor, MultiDataSetPreProcessor {
  private static final long serialVersionUID = 1L;

  private final float scale;
  private final float[] mean;
  private final float[] std;

  private ByteImageNormalizer(float scale, float[] mean, float[] std) {
    this.scale = scale;
    this.mean = mean;
    this.std = std;
  }

  /**
   * Values times {@code scale}, e.g. {@code 1 / 255f} for [0, 1].
   *
   * @throws IllegalArgumentException if {@code scale} is not finite
   */
  public static ByteImageNormalizer scale(float scale) {
    if (!Float.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be finite: " + scale);
    }
    return new ByteImageNormalizer(scale, null, null);
  }

  /**
   * Values times {@code scale}, then per channel {@code (v - mean[c]) / std[c]}.
   *
   * @throws IllegalArgumentException if the arrays differ in length or a std is not positive
   */
  public static ByteImageNormalizer normalize(float scale, float[] mean, float[] std) {
    scale(scale);
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std need one value per channel: " + Arrays.toString(mean) + ", "
          + Arrays.toString(std));
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
      }
    }
    return new ByteImageNormalizer(scale, mean.clone(), std.clone());
  }

  /** The float32 version of {@code features}, or {@code features} itself if it is not uint8. */
  public INDArray apply(INDArray features) {
    if (features.dataType() != DataType.UINT8) {
      return features;
    }
    INDArray out = features.castTo(DataType.FLOAT).muli(scale);
    if (mean != null) {
      if (out.rank() != 4 || out.size(1) != mean.length) {
        throw new IllegalArgumentException("expected NCHW images with " + mean.length + " channels, got shape "
            + Arrays.toString(out.shape()));
      }
      Broadcast.sub(out, Nd4j.createFromArray(mean), out, 1);
      Broadcast.div(out, Nd4j.createFromArray(std), out, 1);
    }
    return out;
  }

  @Override
  public void preProcess(DataSet data) {
    data.setFeatures(apply(data.getFeatures()));
  }

  @Override
  public void preProcess(MultiDataSet data) {
    data.setFeatures(0, apply(data.getFeatures(0)));
  }

  @Override
  public String toString() {
    return "ByteImageNormalizer{scale=" + scale + (mean == null ? "" : ", mean=" + Arrays.toString(mean) + ", std="
        + Arrays.toString(std)) + "}";
  }
}
