package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import java.util.Objects;

/**
 * A window step followed by a horizontal flip, as one step: the flip is drawn after the window, as in the
 * chain, and done while rendering. Prints and behaves as the two steps chained.
 */
final class FlippedWindowStep implements WindowStep {
  private final WindowStep crop;
  private final Flip flip;

  FlippedWindowStep(WindowStep crop, Flip flip) {
    this.crop = Objects.requireNonNull(crop, "crop");
    this.flip = Objects.requireNonNull(flip, "flip");
  }

  @Override
  public Window window(int width, int height, SampleContext context) {
    return crop.window(width, height, context);
  }

  @Override
  public Image render(Image source, Window window, SampleContext context) {
    return flip.draw(context) ? crop.renderMirrored(source, window, context) : crop.render(source, window, context);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlippedWindowStep f && crop.equals(f.crop) && flip.equals(f.flip);
  }

  @Override
  public int hashCode() {
    return 31 * crop.hashCode() + flip.hashCode();
  }

  @Override
  public String toString() {
    return crop + " -> " + flip;
  }
}
