package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The steps behind {@link Images#imageToTensor}, {@link Images#normalizeToTensor} and
 * {@link Images#byteTensor}: an 8-bit image as features, converted and laid out while written into the
 * batch slot, with no intermediate float image.
 *
 * <p>Each step maps a sample {@code v} of channel {@code c} through a 256-entry table per channel, computed
 * once with the same float operations as the unfused steps, so the values are bit for bit those of
 * {@code scale(...)}, then {@code normalize(...)}, then {@code toTensor(...)}.
 */
final class ImageToTensor implements Transform<Image, Features> {
  private enum Kind { SCALE, NORMALIZE, BYTES }

  private final Kind kind;
  private final float scale;
  private final float[] mean;
  private final float[] std;
  private final TensorLayout layout;
  /** {@code tables[c][v]}: the value written for sample v of channel c (one table when unnormalized). */
  private final float[][] tables;

  private ImageToTensor(Kind kind, float scale, float[] mean, float[] std, TensorLayout layout) {
    this.kind = kind;
    this.scale = scale;
    this.mean = mean;
    this.std = std;
    this.layout = Objects.requireNonNull(layout, "layout");
    int count = mean == null ? 1 : mean.length;
    tables = new float[count][256];
    for (int c = 0; c < count; c++) {
      for (int v = 0; v < 256; v++) {
        float scaled = kind == Kind.BYTES ? v : v * scale;
        tables[c][v] = mean == null ? scaled : (scaled - mean[c]) / std[c];
      }
    }
  }

  static ImageToTensor scaled(float scale, TensorLayout layout) {
    return new ImageToTensor(Kind.SCALE, Scale.checkFinite(scale, "tensor scale"), null, null, layout);
  }

  static ImageToTensor normalized(float[] mean, float[] std, TensorLayout layout) {
    Normalize.check(mean, std);
    return new ImageToTensor(Kind.NORMALIZE, 1 / 255f, mean.clone(), std.clone(), layout);
  }

  static ImageToTensor bytes(TensorLayout layout) {
    return new ImageToTensor(Kind.BYTES, 1, null, null, layout);
  }

  @Override
  public Features apply(Image input, SampleContext context) {
    if (mean != null && input.channels() != mean.length) {
      throw new SluiceException(this + " needs " + mean.length + "-channel images but " + context.key()
          + " has " + input.channels() + " channels", context.key(), false, null);
    }
    return kind == Kind.BYTES ? new Bytes(input, tables, layout) : new Values(input, tables, layout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageToTensor t && kind == t.kind && Float.compare(scale, t.scale) == 0
        && Arrays.equals(mean, t.mean) && Arrays.equals(std, t.std) && layout == t.layout;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, scale, Arrays.hashCode(mean), Arrays.hashCode(std), layout);
  }

  @Override
  public boolean deterministic() {
    return true;
  }

  @Override
  public String toString() {
    String suffix = layout == TensorLayout.CHW ? ")" : ", " + layout + ")";
    return switch (kind) {
      case SCALE -> "imageToTensor(scale=" + scale + suffix;
      case NORMALIZE -> "normalizeToTensor(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + suffix;
      case BYTES -> layout == TensorLayout.CHW ? "byteTensor" : "byteTensor(" + layout + ")";
    };
  }

  /** An image's samples mapped through per-channel tables. */
  private static class Values implements ImageFeatures {
    final Image image;
    final float[][] tables;
    final TensorLayout layout;

    Values(Image image, float[][] tables, TensorLayout layout) {
      this.image = image;
      this.tables = tables;
      this.layout = layout;
    }

    @Override
    public long[] shape() {
      return layout.shape(image.channels(), image.height(), image.width());
    }

    @Override
    public ImageGeometry geometry() {
      return image.geometry();
    }

    @Override
    public void writeTo(FloatBuffer slot) {
      byte[] pixels = image.pixels();
      int channels = image.channels();
      int width = image.width();
      int height = image.height();
      if (layout == TensorLayout.HWC || channels == 1) {
        int rowLength = width * channels;
        float[] row = new float[rowLength];
        for (int y = 0; y < height; y++) {
          int base = y * rowLength;
          for (int i = 0; i < rowLength; i++) {
            row[i] = tables[tables.length == 1 ? 0 : i % channels][pixels[base + i] & 0xFF];
          }
          slot.put(row);
        }
        return;
      }
      float[] row = new float[width];
      for (int c = 0; c < channels; c++) {
        float[] table = tables[tables.length == 1 ? 0 : c];
        for (int y = 0; y < height; y++) {
          for (int x = 0, i = y * width * channels + c; x < width; x++, i += channels) {
            row[x] = table[pixels[i] & 0xFF];
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

  /** An image's samples as unsigned bytes, or as the floats 0 to 255. */
  private static final class Bytes extends Values implements ByteFeatures {
    Bytes(Image image, float[][] tables, TensorLayout layout) {
      super(image, tables, layout);
    }

    @Override
    public void writeTo(ByteBuffer slot) {
      byte[] pixels = image.pixels();
      int channels = image.channels();
      if (layout == TensorLayout.HWC || channels == 1) {
        slot.put(pixels);
        return;
      }
      int width = image.width();
      int height = image.height();
      byte[] row = new byte[width];
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0, i = y * width * channels + c; x < width; x++, i += channels) {
            row[x] = pixels[i];
          }
          slot.put(row);
        }
      }
    }
  }
}
