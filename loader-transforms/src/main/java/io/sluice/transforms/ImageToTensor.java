package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import java.nio.FloatBuffer;

/**
 * The step behind {@link Images#imageToTensor}: an 8-bit image as scaled CHW features, converted and
 * transposed while written, with no intermediate float image.
 */
final class ImageToTensor implements Transform<Image, Features> {
  private final float scale;

  ImageToTensor(float scale) {
    this.scale = Scale.checkFinite(scale, "tensor scale");
  }

  @Override
  public Features apply(Image input, SampleContext context) {
    return new ScaledChwFeatures(input, scale);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageToTensor t && Float.compare(scale, t.scale) == 0;
  }

  @Override
  public int hashCode() {
    return Float.hashCode(scale);
  }

  @Override
  public String toString() {
    return "imageToTensor(scale=" + scale + ")";
  }

  /** The samples of an 8-bit image times a scale, written channel by channel, each channel row by row. */
  private static final class ScaledChwFeatures implements Features {
    private final Image image;
    private final float scale;

    ScaledChwFeatures(Image image, float scale) {
      this.image = image;
      this.scale = scale;
    }

    @Override
    public long[] shape() {
      return new long[] {image.channels(), image.height(), image.width()};
    }

    @Override
    public void writeTo(FloatBuffer slot) {
      byte[] pixels = image.pixels();
      int channels = image.channels();
      int width = image.width();
      int height = image.height();
      float[] row = new float[width];
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0, i = y * width * channels + c; x < width; x++, i += channels) {
            row[x] = (pixels[i] & 0xFF) * scale;
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
