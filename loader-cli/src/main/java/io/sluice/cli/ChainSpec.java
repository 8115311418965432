package io.sluice.cli;

import io.sluice.loader.Transform;
import io.sluice.transforms.Image;
import io.sluice.transforms.Images;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The image steps a command runs after decoding, written as {@code randomResizedCrop(224), horizontalFlip(0.5)}:
 * each step is one of the {@link Images} factories, by name, with its numbers.
 */
record ChainSpec(String text, Transform<Image, Image> steps) {
  static final String DEFAULT = "randomResizedCrop(224), horizontalFlip(0.5)";
  static final String STEPS = "resize(W,H), resizeShorterSide(N), centerCrop(N), centerCrop(W,H), randomCrop(N), "
      + "randomCrop(W,H), randomResizedCrop(N), horizontalFlip(P), verticalFlip(P), grayscale(), brightness(A), "
      + "contrast(A), pad(N)";

  @Override
  public String toString() {
    return text;
  }

  /**
   * Parses a chain.
   *
   * @throws IllegalArgumentException naming the step that is unknown or has the wrong numbers
   */
  static ChainSpec parse(String text) {
    Transform<Image, Image> chain = Transform.identity();
    for (String step : steps(text)) {
      chain = chain.andThen(step(step));
    }
    return new ChainSpec(text.trim(), chain);
  }

  /** Splits at the commas outside parentheses. */
  private static List<String> steps(String text) {
    List<String> steps = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ',';
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        String step = text.substring(start, i).trim();
        if (!step.isEmpty()) {
          steps.add(step);
        }
        start = i + 1;
      }
    }
    return steps;
  }

  private static Transform<Image, Image> step(String step) {
    int open = step.indexOf('(');
    if (open <= 0 || !step.endsWith(")")) {
      throw new IllegalArgumentException("step '" + step + "' is not name(numbers); steps: " + STEPS);
    }
    String name = step.substring(0, open).trim();
    String inner = step.substring(open + 1, step.length() - 1).trim();
    double[] n;
    try {
      n = inner.isEmpty() ? new double[0]
          : java.util.Arrays.stream(inner.split(",", -1)).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("step '" + step + "': '" + inner + "' are not numbers");
    }
    try {
      Transform<Image, Image> t = switch (name.toLowerCase(Locale.ROOT) + "/" + n.length) {
        case "resize/2" -> Images.resize(whole(step, n[0]), whole(step, n[1]));
        case "resize/1" -> Images.resize(whole(step, n[0]), whole(step, n[0]));
        case "resizeshorterside/1" -> Images.resizeShorterSide(whole(step, n[0]));
        case "centercrop/1" -> Images.centerCrop(whole(step, n[0]));
        case "centercrop/2" -> Images.centerCrop(whole(step, n[0]), whole(step, n[1]));
        case "randomcrop/1" -> Images.randomCrop(whole(step, n[0]));
        case "randomcrop/2" -> Images.randomCrop(whole(step, n[0]), whole(step, n[1]));
        case "randomresizedcrop/1" -> Images.randomResizedCrop(whole(step, n[0]));
        case "horizontalflip/1", "flip/1" -> Images.horizontalFlip(n[0]);
        case "verticalflip/1" -> Images.verticalFlip(n[0]);
        case "grayscale/0" -> Images.grayscale();
        case "brightness/1" -> Images.brightness((float) n[0]);
        case "contrast/1" -> Images.contrast((float) n[0]);
        case "pad/1" -> Images.pad(whole(step, n[0]));
        default -> null;
      };
      if (t == null) {
        throw new IllegalArgumentException("unknown step '" + step + "'; steps: " + STEPS);
      }
      return t;
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("unknown step")) {
        throw e;
      }
      throw new IllegalArgumentException("step '" + step + "': " + e.getMessage(), e);
    }
  }

  private static int whole(String step, double v) {
    if (v != Math.rint(v) || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw new IllegalArgumentException("needs whole numbers, was given " + v);
    }
    return (int) v;
  }

  /** picocli's converter for {@code --chain}. */
  static final class Converter implements ITypeConverter<ChainSpec> {
    @Override
    public ChainSpec convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
