package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import java.util.Objects;

/**
 * The step behind {@link Images#resize} and {@link Images#resizeShorterSide}: to an exact size, or so that
 * the shorter side has a given length and the aspect ratio is kept.
 *
 * <p>See {@link Resampler} for the interpolations. An image that already has the size is returned as is.
 */
final class Resize implements DeterministicImageStep<Image> {
  private final int width;
  private final int height;
  private final int shorterSide;
  private final Interpolation interpolation;

  private Resize(int width, int height, int shorterSide, Interpolation interpolation) {
    this.width = width;
    this.height = height;
    this.shorterSide = shorterSide;
    this.interpolation = Objects.requireNonNull(interpolation, "interpolation");
  }

  static Resize exact(int width, int height, Interpolation interpolation) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("resize dimensions must be positive: " + width + "x" + height);
    }
    if ((long) width * height * 3 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("resize dimensions are too large for an image: " + width + "x" + height);
    }
    return new Resize(width, height, 0, interpolation);
  }

  static Resize shorterSide(int size, Interpolation interpolation) {
    if (size <= 0) {
      throw new IllegalArgumentException("shorter side must be positive: " + size);
    }
    return new Resize(0, 0, size, interpolation);
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    int w = width;
    int h = height;
    if (shorterSide > 0) {
      long[] size = shorterSideSize(input.width(), input.height(), shorterSide);
      if (size[0] * size[1] * 3 > Integer.MAX_VALUE) {
        throw new SluiceException(this + " would make " + context.key() + " (" + input.width() + "x"
            + input.height() + ") " + size[0] + "x" + size[1] + ", too large for an image", context.key(),
            false, null);
      }
      w = (int) size[0];
      h = (int) size[1];
    }
    return Resampler.resample(input, Window.whole(input), w, h, interpolation);
  }

  /**
   * The size of a {@code width x height} image whose shorter side becomes {@code size}: the longer side is
   * scaled by the same factor and rounded down (as torchvision does), but not below 1.
   */
  static long[] shorterSideSize(int width, int height, int size) {
    if (width <= height) {
      return new long[] {size, Math.max(1, (long) size * height / width)};
    }
    return new long[] {Math.max(1, (long) size * width / height), size};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resize r && width == r.width && height == r.height && shorterSide == r.shorterSide
        && interpolation == r.interpolation;
  }

  @Override
  public int hashCode() {
    return Objects.hash(width, height, shorterSide, interpolation);
  }

  @Override
  public String toString() {
    return shorterSide > 0
        ? "resize(shorter side " + shorterSide + ", " + interpolation + ")"
        : "resize(" + width + "x" + height + ", " + interpolation + ")";
  }
}
