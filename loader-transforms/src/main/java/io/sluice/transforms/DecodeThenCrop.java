package io.sluice.transforms;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.util.Objects;

/**
 * A decode step followed by a crop, as one step: what {@code decode.andThen(crop)} returns.
 *
 * <p>The crop's window is chosen from the size in the image's header, with the same random draws as after
 * a full decode; then, for ordinary JPEGs decoded by javax.imageio, only the window's columns are converted
 * and decoding stops after its last row. The output is bit for bit that of decoding in full and then
 * cropping. One difference remains: damage below the window is not seen by the decoder; a missing end of
 * image (a truncated file) is still detected, from the markers.
 */
final class DecodeThenCrop implements Transform<StoredObject, Image> {
  private final Decode decode;
  private final WindowStep crop;

  DecodeThenCrop(Decode decode, WindowStep crop) {
    this.decode = Objects.requireNonNull(decode, "decode");
    this.crop = Objects.requireNonNull(crop, "crop");
  }

  @Override
  public Image apply(StoredObject input, SampleContext context) {
    return decode.decode(input, context, crop);
  }

  /** Followed by a horizontal flip, the flip joins the crop (see {@link FlippedWindowStep}). */
  @Override
  @SuppressWarnings("unchecked")
  public <R> Transform<StoredObject, R> andThen(Transform<? super Image, ? extends R> next) {
    if (next instanceof Flip flip && flip.horizontal()) {
      return (Transform<StoredObject, R>) new DecodeThenCrop(decode, new FlippedWindowStep(crop, flip));
    }
    return Transform.super.andThen(next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecodeThenCrop d && decode.equals(d.decode) && crop.equals(d.crop);
  }

  @Override
  public int hashCode() {
    return 31 * decode.hashCode() + crop.hashCode();
  }

  /** The same description as the two steps chained: {@code decode(...) -> crop(...)}. */
  @Override
  public boolean deterministic() {
    return crop.deterministic();
  }

  @Override
  public io.sluice.loader.PrefixCodec<Image> prefixCodec() {
    return ImageCodec.INSTANCE;
  }

  @Override
  public String toString() {
    return decode + " -> " + crop;
  }
}
