package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import java.nio.FloatBuffer;

/** The step behind {@link Images#toTensor()}: a float image as CHW features, transposed while written. */
enum ToTensor implements Transform<FloatImage, Features> {
  INSTANCE;

  @Override
  public Features apply(FloatImage input, SampleContext context) {
    return new ChwFeatures(input);
  }

  @Override
  public String toString() {
    return "toTensor";
  }

  /** The values of a float image, written channel by channel, each channel row by row. */
  private static final class ChwFeatures implements Features {
    private final FloatImage image;

    ChwFeatures(FloatImage image) {
      this.image = image;
    }

    @Override
    public long[] shape() {
      return new long[] {image.channels(), image.height(), image.width()};
    }

    @Override
    public void writeTo(FloatBuffer slot) {
      float[] values = image.values();
      int channels = image.channels();
      if (channels == 1) {
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
      return "Features[" + image.channels() + "x" + image.height() + "x" + image.width() + "]";
    }
  }
}
