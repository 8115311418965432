package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import java.nio.FloatBuffer;
import java.util.Objects;

/** The step behind {@link Images#toTensor()}: a float image as CHW or HWC features, laid out while written. */
final class ToTensor implements Transform<FloatImage, Features> {
  static final ToTensor CHW = new ToTensor(TensorLayout.CHW);
  static final ToTensor HWC = new ToTensor(TensorLayout.HWC);

  private final TensorLayout layout;

  private ToTensor(TensorLayout layout) {
    this.layout = layout;
  }

  static ToTensor of(TensorLayout layout) {
    return Objects.requireNonNull(layout, "layout") == TensorLayout.CHW ? CHW : HWC;
  }

  @Override
  public Features apply(FloatImage input, SampleContext context) {
    return new FloatImageFeatures(input, layout);
  }

  @Override
  public boolean deterministic() {
    return true;
  }

  @Override
  public String toString() {
    return layout == TensorLayout.CHW ? "toTensor" : "toTensor(" + layout + ")";
  }

  /** The values of a float image, written channel by channel (each channel row by row) or as stored. */
  private static final class FloatImageFeatures implements Features {
    private final FloatImage image;
    private final TensorLayout layout;

    FloatImageFeatures(FloatImage image, TensorLayout layout) {
      this.image = image;
      this.layout = layout;
    }

    @Override
    public long[] shape() {
      return layout.shape(image.channels(), image.height(), image.width());
    }

    @Override
    public void writeTo(FloatBuffer slot) {
      float[] values = image.values();
      int channels = image.channels();
      if (channels == 1 || layout == TensorLayout.HWC) {
        slot.put(values);
        return;
      }
      int width = image.width();
      int height = image.height();
      float[] row = new float[width];
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0, i = y * width * channels + c; x < width; x++, i += channels) {
            row[x] = values[i];
          }
          slot.put(row);
        }
      }
    }

    @Override
    public String toString() {
      long[] s = shape();
      return "Features[" + s[0] + "x" + s[1] + "x" + s[2] + "]";
    }
  }
}
