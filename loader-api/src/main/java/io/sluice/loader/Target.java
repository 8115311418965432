package io.sluice.loader;

import io.sluice.loader.manifest.LabelMap;
import java.util.List;

/**
 * Makes one tensor of a sample from its manifest entry: a target the model learns (a one-hot class, a k-hot
 * class set, regression values, boxes, a mask) or an extra input (numeric attributes beside an image).
 *
 * <p>This is the loader's collation seam. Each sample's target is written, like its features, straight into
 * its row of the batch's tensor, so a target's {@link Features#shape() shape} must be the same for every
 * sample. A target runs on a worker thread after the transform chain and sees the chain's output, so a
 * target that depends on geometry (boxes, masks) reads what the chain did to the image from it. Targets must
 * be stateless and thread-safe, and draw randomness only from the context.
 */
@FunctionalInterface
public interface Target {

  /**
   * Makes this sample's tensor.
   *
   * @param entry the manifest entry the sample was read from
   * @param features what the transform chain produced for it
   * @throws SluiceException naming the entry if it cannot (a missing or malformed attribute)
   */
  Features make(Entry entry, Features features, SampleContext context);

  /**
   * The URIs of further objects this target reads for {@code entry}, e.g. a segmentation mask's
   * {@code ...-ref}. The loader fetches them through the same fetch chain as the entry's own object (cache,
   * retries, metrics), as soon as that object has arrived, and hands them over with
   * {@link Entry#companion(String)}. Default none.
   *
   * @throws SluiceException naming the entry if its attributes do not say
   */
  default List<String> companions(Entry entry) {
    return List.of();
  }

  /**
   * The entry's label as a one-hot vector over the manifest's classes: the default target. An entry without
   * a label fails.
   */
  static Target oneHot() {
    return EntryTargets.OneHot.INSTANCE;
  }

  /**
   * A k-hot vector over {@code classes} from a Ground Truth multi-label attribute: {@code attribute} holds a
   * list of class ids, and {@code <attribute>-metadata}'s {@code class-map} names each id
   * ({@code {"0": "cat", "2": "dog"}}); the names are looked up in {@code classes}. Without a class map the
   * ids are indices into {@code classes}.
   *
   * @throws IllegalArgumentException if {@code classes} is empty
   */
  static Target multiHot(String attribute, LabelMap classes) {
    return new EntryTargets.MultiHot(attribute, classes);
  }

  /**
   * Regression values: the numeric attributes {@code names}, in that order, unscaled. An attribute holding a
   * list of numbers gives all of them.
   *
   * @throws IllegalArgumentException if no name is given
   */
  static Target values(String... names) {
    return new EntryTargets.Values(List.of(names), null, null);
  }

  /**
   * Regression values scaled to {@code (value - offset[i]) / scale[i]}, one offset and scale per name.
   *
   * @throws IllegalArgumentException if the arrays' lengths differ from the names' count or a scale is 0
   */
  static Target values(List<String> names, float[] offset, float[] scale) {
    return new EntryTargets.Values(names, offset.clone(), scale.clone());
  }
}
