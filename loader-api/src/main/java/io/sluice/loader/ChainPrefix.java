package io.sluice.loader;

import io.sluice.loader.internal.PrefixPlan;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayList;
import java.util.List;

/** Finds a chain's deterministic prefix: the longest run of deterministic steps from the start that ends in a codec. */
final class ChainPrefix {
  private ChainPrefix() {}

  /**
   * Splits {@code chain} into its deterministic prefix and the rest.
   *
   * @throws IllegalArgumentException naming the chain if it has no such prefix, or the prefix's description is
   *     not stable
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static PrefixPlan split(Transform<? super StoredObject, ? extends Features> chain) {
    List<Transform<?, ?>> steps = new ArrayList<>();
    flatten(chain, steps);
    int end = 0;
    for (int i = 0; i < steps.size() && steps.get(i).deterministic(); i++) {
      if (steps.get(i).prefixCodec() != null) {
        end = i + 1;
      }
    }
    if (end == 0 || end == steps.size()) {
      throw new IllegalArgumentException("a prefix cache needs a chain that starts with deterministic steps ending in "
          + "an image (e.g. decode -> resizeShorterSide(256)) followed by the rest; this chain has none: " + chain);
    }
    Transform prefix = compose(steps.subList(0, end));
    Transform suffix = compose(steps.subList(end, steps.size()));
    return new PrefixPlan(prefix, suffix, (PrefixCodec) steps.get(end - 1).prefixCodec(), TransformKeys.cacheKey(prefix));
  }

  private static void flatten(Transform<?, ?> t, List<Transform<?, ?>> out) {
    if (t instanceof Transform.Chain<?, ?, ?> c) {
      flatten(c.first(), out);
      flatten(c.second(), out);
    } else {
      out.add(t);
    }
  }

  /** The steps as one chain, without re-fusing them ({@code andThen} of some steps fuses; the steps are as built). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Transform compose(List<Transform<?, ?>> steps) {
    Transform out = steps.get(0);
    for (int i = 1; i < steps.size(); i++) {
      out = new Transform.Chain(out, steps.get(i));
    }
    return out;
  }
}
