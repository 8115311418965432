package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import java.util.random.RandomGenerator;

/**
 * The step behind {@link Images#randomCrop}: a {@code width x height} window at a uniformly random position,
 * the top drawn first, then the left, each from {@code [0, excess]} inclusive (as torchvision draws them).
 */
final class RandomCrop implements WindowStep {
  private final int width;
  private final int height;

  RandomCrop(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("crop dimensions must be positive: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
  }

  @Override
  public Window window(int imageWidth, int imageHeight, SampleContext context) {
    if (imageWidth < width || imageHeight < height) {
      throw new SluiceException(this + " needs an image of at least " + width + "x" + height + " but "
          + context.key() + " is " + imageWidth + "x" + imageHeight + " (resize or pad first)", context.key(),
          false, null);
    }
    RandomGenerator random = context.random();
    int top = random.nextInt(imageHeight - height + 1);
    int left = random.nextInt(imageWidth - width + 1);
    return new Window(left, top, width, height);
  }

  @Override
  public Image render(Image source, Window window, SampleContext context) {
    return Crops.copy(source, window, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RandomCrop c && width == c.width && height == c.height;
  }

  @Override
  public int hashCode() {
    return 31 * width + height;
  }

  @Override
  public String toString() {
    return "randomCrop(" + width + "x" + height + ")";
  }
}
