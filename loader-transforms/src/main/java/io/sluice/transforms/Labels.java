package io.sluice.transforms;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import java.util.Objects;

/**
 * Label steps: class indices to one-hot or k-hot vectors, and regression targets passed through, each as
 * {@link Features} of shape {@code [n]}.
 *
 * <pre>{@code
 * Labels.oneHot(10).apply(3, context)                   // [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
 * Labels.multiHot(5).apply(new int[] {0, 4}, context)   // [1, 0, 0, 0, 1]
 * Labels.values(2).apply(new float[] {0.5f, -2}, context) // [0.5, -2]
 * }</pre>
 *
 * <p>A label out of range fails with a {@link SluiceException} naming the sample's key and the label.
 */
public final class Labels {
  private Labels() {}

  /**
   * A step from a class index in {@code [0, classes)} to a one-hot vector of {@code classes} values.
   *
   * @throws IllegalArgumentException if {@code classes} is not positive
   */
  public static Transform<Integer, Features> oneHot(int classes) {
    checkCount(classes, "classes");
    return new LabelStep<>("oneHot(" + classes + ")", (Integer label, SampleContext context) -> {
      Objects.requireNonNull(label, "label");
      float[] values = new float[classes];
      values[checkClass(label, classes, context)] = 1;
      return Features.of(values, classes);
    });
  }

  /**
   * A step from a set of class indices, each in {@code [0, classes)}, to a k-hot vector of {@code classes}
   * values: 1 for each class present, 0 elsewhere. Repeated indices count once; an empty set gives zeros.
   *
   * @throws IllegalArgumentException if {@code classes} is not positive
   */
  public static Transform<int[], Features> multiHot(int classes) {
    checkCount(classes, "classes");
    return new LabelStep<>("multiHot(" + classes + ")", (int[] labels, SampleContext context) -> {
      Objects.requireNonNull(labels, "labels");
      float[] values = new float[classes];
      for (int label : labels) {
        values[checkClass(label, classes, context)] = 1;
      }
      return Features.of(values, classes);
    });
  }

  /**
   * A step that passes {@code count} regression targets through unchanged (copied).
   *
   * @throws IllegalArgumentException if {@code count} is not positive
   */
  public static Transform<float[], Features> values(int count) {
    checkCount(count, "count");
    return new LabelStep<>("values(" + count + ")", (float[] targets, SampleContext context) -> {
      Objects.requireNonNull(targets, "targets");
      if (targets.length != count) {
        throw new SluiceException("expected " + count + " target values for " + context.key() + " but got "
            + targets.length, context.key(), false, null);
      }
      return Features.of(targets.clone(), count);
    });
  }

  private static void checkCount(int count, String what) {
    if (count <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + count);
    }
  }

  private static int checkClass(int label, int classes, SampleContext context) {
    if (label < 0 || label >= classes) {
      throw new SluiceException("label " + label + " of " + context.key() + " is not a class index in [0, "
          + classes + ")", context.key(), false, null);
    }
    return label;
  }

  /** A named label step; equal when the names are. */
  private static final class LabelStep<I> implements Transform<I, Features> {
    private final String name;
    private final Transform<I, Features> body;

    LabelStep(String name, Transform<I, Features> body) {
      this.name = name;
      this.body = body;
    }

    @Override
    public Features apply(I input, SampleContext context) {
      return body.apply(input, context);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LabelStep<?> s && name.equals(s.name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
