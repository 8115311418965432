package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;

/**
 * A step that chooses a window of its input from the input's size alone, then renders the output from the
 * pixels of that window. Decoding followed by such a step decodes only as much of a JPEG as the window
 * needs (see {@link DecodeThenCrop}), and a horizontal flip after it is done while rendering (see
 * {@link FlippedWindowStep}); the output is the same as running the steps one by one.
 */
interface WindowStep extends Transform<Image, Image> {

  /**
   * The window of a {@code width x height} image this step keeps for this sample. Draws from
   * {@code context.random()} exactly as {@link #apply} does before rendering.
   */
  Window window(int width, int height, SampleContext context);

  /** The output for {@code window} of {@code source}; the window is in the source's coordinates. */
  Image render(Image source, Window window, SampleContext context);

  /** The output of {@link #render}, mirrored left to right. */
  default Image renderMirrored(Image source, Window window, SampleContext context) {
    return Flip.mirrorColumns(render(source, window, context));
  }

  @Override
  default Image apply(Image input, SampleContext context) {
    return render(input, window(input.width(), input.height(), context), context);
  }

  /** Followed by a horizontal flip, one step that mirrors while rendering; otherwise a plain chain. */
  @Override
  @SuppressWarnings("unchecked")
  default <R> Transform<Image, R> andThen(Transform<? super Image, ? extends R> next) {
    if (next instanceof Flip flip && flip.horizontal()) {
      return (Transform<Image, R>) new FlippedWindowStep(this, flip);
    }
    return Transform.super.andThen(next);
  }
}
