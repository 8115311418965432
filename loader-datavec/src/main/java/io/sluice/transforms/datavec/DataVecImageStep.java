package io.sluice.transforms.datavec;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.transforms.Image;
import java.util.Random;
import java.util.function.Supplier;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;
import org.datavec.image.transform.ImageTransform;

/**
 * The step behind {@link DataVecImages#dataVec}: a DataVec {@link ImageTransform} between two {@link Image}s.
 *
 * <p>The image goes to DataVec as an OpenCV {@code Mat} in BGR order wrapped in an {@code ImageWritable}.
 * A transform made with a {@code Random} (DataVec's way of asking for random choices) gets a
 * {@code java.util.Random} seeded with one {@code nextLong()} of the sample's generator instead; one made
 * without gets none, and applies its fixed settings.
 */
final class DataVecImageStep implements Transform<Image, Image> {
  private final String description;
  private final boolean shared;
  private final ImageTransform sharedTransform;
  private final ThreadLocal<ImageTransform> perThread;

  DataVecImageStep(String description, Supplier<? extends ImageTransform> factory, boolean shared) {
    this.description = description;
    this.shared = shared;
    this.sharedTransform = shared ? factory.get() : null;
    this.perThread = shared ? null : ThreadLocal.withInitial(() -> {
      ImageTransform t = factory.get();
      if (t == null) {
        throw new IllegalStateException("the DataVec transform factory of " + description + " returned null");
      }
      return t;
    });
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    Image out;
    if (shared) {
      synchronized (sharedTransform) {
        out = run(sharedTransform, input, context);
      }
    } else {
      out = run(perThread.get(), input, context);
    }
    // what a DataVec transform did to the pixels' places is not known: boxes and masks cannot follow it
    return out.withUnknownGeometryFrom(input);
  }

  /**
   * The generator to hand the transform: DataVec transforms made without one ({@code getRandom() == null})
   * apply their fixed settings when given none, and would turn random if given one; all others get one
   * seeded from the sample's generator.
   */
  private static Random random(ImageTransform transform, SampleContext context) {
    if (transform instanceof BaseImageTransform<?> base && base.getRandom() == null) {
      return null;
    }
    return new Random(context.random().nextLong());
  }

  private Image run(ImageTransform transform, Image input, SampleContext context) {
    Random random = random(transform, context);
    OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    try (Mat mat = toMat(input)) {
      ImageWritable out = transform.transform(new ImageWritable(converter.convert(mat)), random);
      if (out == null || out.getFrame() == null) {
        throw new SluiceException(this + " returned no image for " + context.key(), context.key(), false, null);
      }
      return fromFrame(out.getFrame(), context);
    } catch (SluiceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SluiceException(this + " failed on " + context.key() + ": " + e, context.key(), false, e);
    }
  }

  /** An OpenCV matrix holding a copy of {@code image}, BGR for color. */
  static Mat toMat(Image image) {
    int channels = image.channels();
    byte[] pixels = image.pixels();
    byte[] data = pixels;
    if (channels == 3) {
      data = swapRedBlue(pixels);
    }
    Mat mat = new Mat(image.height(), image.width(), channels == 3 ? CV_8UC3 : CV_8UC1);
    mat.data().put(data, 0, data.length);
    return mat;
  }

  /** The image in a DataVec frame, back as an {@link Image}. */
  private Image fromFrame(Frame frame, SampleContext context) {
    OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    Mat mat = converter.convert(frame);
    if (mat == null || mat.empty()) {
      throw new SluiceException(this + " returned an empty image for " + context.key(), context.key(), false, null);
    }
    return fromMat(mat, this, context);
  }

  /** An 8-bit OpenCV matrix (gray, BGR or BGRA) as an {@link Image}: gray or RGB. */
  static Image fromMat(Mat mat, Object step, SampleContext context) {
    int channels = mat.channels();
    if (mat.depth() != CV_8U || (channels != 1 && channels != 3 && channels != 4)) {
      throw new SluiceException(step + " returned a " + channels + "-channel image of OpenCV depth " + mat.depth()
          + " for " + context.key() + "; only 8-bit gray, BGR or BGRA images can continue", context.key(),
          false, null);
    }
    Mat continuous = mat.isContinuous() ? mat : mat.clone();
    int width = continuous.cols();
    int height = continuous.rows();
    byte[] data = new byte[width * height * channels];
    continuous.data().get(data, 0, data.length);
    if (channels == 1) {
      return new Image(width, height, 1, data);
    }
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0, j = 0; i < rgb.length; i += 3, j += channels) {
      rgb[i] = data[j + 2];
      rgb[i + 1] = data[j + 1];
      rgb[i + 2] = data[j];
    }
    return new Image(width, height, 3, rgb);
  }

  private static byte[] swapRedBlue(byte[] pixels) {
    byte[] out = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i += 3) {
      out[i] = pixels[i + 2];
      out[i + 1] = pixels[i + 1];
      out[i + 2] = pixels[i];
    }
    return out;
  }

  /** Equal when the descriptions are (the transform's {@code toString()} when made, or the one given). */
  @Override
  public boolean equals(Object o) {
    return o instanceof DataVecImageStep d && shared == d.shared && description.equals(d.description);
  }

  @Override
  public int hashCode() {
    return description.hashCode();
  }

  @Override
  public String toString() {
    return "dataVec(" + description + ")";
  }
}
