package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The step behind {@link Images#randomResizedCrop}: a random window of random area and aspect ratio,
 * resized to a fixed size, chosen as torchvision's {@code RandomResizedCrop} chooses it.
 *
 * <p>Up to ten attempts each draw an area fraction uniformly from {@code [minScale, maxScale)} and an aspect
 * ratio log-uniformly from {@code [minRatio, maxRatio)}; the window's sides are rounded (halves to even)
 * and, if they fit, the top then the left are drawn uniformly. If no attempt fits, the window is the
 * central crop of the whole image, clamped to the ratio range. The window is then resized.
 */
final class RandomResizedCrop implements WindowStep {
  private static final int ATTEMPTS = 10;

  private final int width;
  private final int height;
  private final double minScale;
  private final double maxScale;
  private final double minRatio;
  private final double maxRatio;
  private final Interpolation interpolation;

  RandomResizedCrop(int width, int height, double minScale, double maxScale, double minRatio, double maxRatio,
      Interpolation interpolation) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("crop size must be positive: " + width + "x" + height);
    }
    if ((long) width * height * 3 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("crop size is too large for an image: " + width + "x" + height);
    }
    if (!(minScale > 0) || !(minScale <= maxScale) || !(maxScale <= 1)) {
      throw new IllegalArgumentException("scale range must satisfy 0 < min <= max <= 1: [" + minScale + ", "
          + maxScale + "]");
    }
    if (!(minRatio > 0) || !(minRatio <= maxRatio) || !Double.isFinite(maxRatio)) {
      throw new IllegalArgumentException("ratio range must satisfy 0 < min <= max < infinity: [" + minRatio
          + ", " + maxRatio + "]");
    }
    this.width = width;
    this.height = height;
    this.minScale = minScale;
    this.maxScale = maxScale;
    this.minRatio = minRatio;
    this.maxRatio = maxRatio;
    this.interpolation = Objects.requireNonNull(interpolation, "interpolation");
  }

  @Override
  public Window window(int imageWidth, int imageHeight, SampleContext context) {
    RandomGenerator random = context.random();
    double area = (double) imageWidth * imageHeight;
    double logMin = Math.log(minRatio);
    double logMax = Math.log(maxRatio);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double targetArea = area * uniform(random, minScale, maxScale);
      double ratio = Math.exp(uniform(random, logMin, logMax));
      int w = (int) Math.rint(Math.sqrt(targetArea * ratio));
      int h = (int) Math.rint(Math.sqrt(targetArea / ratio));
      if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
        int top = random.nextInt(imageHeight - h + 1);
        int left = random.nextInt(imageWidth - w + 1);
        return new Window(left, top, w, h);
      }
    }
    double inRatio = (double) imageWidth / imageHeight;
    int w;
    int h;
    if (inRatio < minRatio) {
      w = imageWidth;
      h = Math.max(1, Math.min(imageHeight, (int) Math.rint(w / minRatio)));
    } else if (inRatio > maxRatio) {
      h = imageHeight;
      w = Math.max(1, Math.min(imageWidth, (int) Math.rint(h * maxRatio)));
    } else {
      w = imageWidth;
      h = imageHeight;
    }
    return new Window((imageWidth - w) / 2, (imageHeight - h) / 2, w, h);
  }

  /** A draw from {@code [min, max)}, or {@code min} when the range is empty; always one draw. */
  private static double uniform(RandomGenerator random, double min, double max) {
    double u = random.nextDouble();
    return min + (max - min) * u;
  }

  @Override
  public Image render(Image source, Window window, SampleContext context) {
    return Resampler.resample(source, window, width, height, interpolation);
  }

  @Override
  public Image renderMirrored(Image source, Window window, SampleContext context) {
    return Resampler.resample(source, window, width, height, interpolation, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RandomResizedCrop c && width == c.width && height == c.height
        && Double.compare(minScale, c.minScale) == 0 && Double.compare(maxScale, c.maxScale) == 0
        && Double.compare(minRatio, c.minRatio) == 0 && Double.compare(maxRatio, c.maxRatio) == 0
        && interpolation == c.interpolation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, minScale, maxScale, minRatio, maxRatio, interpolation);
  }

  @Override
  public String toString() {
    return "randomResizedCrop(" + width + "x" + height + ", scale=[" + minScale + ", " + maxScale + "], ratio=["
        + minRatio + ", " + maxRatio + "], " + interpolation + ")";
  }
}
