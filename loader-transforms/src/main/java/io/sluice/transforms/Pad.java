package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;

/** The step behind {@link Images#pad}: a constant border around the image. */
final class Pad implements DeterministicImageStep<Image> {
  private final int left;
  private final int top;
  private final int right;
  private final int bottom;
  private final int fill;

  Pad(int left, int top, int right, int bottom, int fill) {
    if (left < 0 || top < 0 || right < 0 || bottom < 0) {
      throw new IllegalArgumentException("padding must not be negative: left " + left + ", top " + top
          + ", right " + right + ", bottom " + bottom);
    }
    if (fill < 0 || fill > 255) {
      throw new IllegalArgumentException("pad fill must be between 0 and 255: " + fill);
    }
    this.left = left;
    this.top = top;
    this.right = right;
    this.bottom = bottom;
    this.fill = fill;
  }

  @Override
  public Image apply(Image input, SampleContext context) {
    long width = (long) input.width() + left + right;
    long height = (long) input.height() + top + bottom;
    if (width * height * input.channels() > Integer.MAX_VALUE) {
      throw new SluiceException(this + " would make " + context.key() + " " + width + "x" + height
          + ", too large for an image", context.key(), false, null);
    }
    return Crops.copy(input, new Window(-left, -top, (int) width, (int) height), fill);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pad p && left == p.left && top == p.top && right == p.right && bottom == p.bottom
        && fill == p.fill;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(left, top, right, bottom, fill);
  }

  @Override
  public String toString() {
    return "pad(left=" + left + ", top=" + top + ", right=" + right + ", bottom=" + bottom + ", fill=" + fill + ")";
  }
}
