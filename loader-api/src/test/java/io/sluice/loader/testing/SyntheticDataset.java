package io.sluice.loader.testing;

import io.sluice.loader.Features;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A labelled dataset whose objects say who they are: object {@code i} holds the text {@code "i"} and lives
 * under class folder {@code class<i % classes>}. With {@link #identify()} as the transform, a batch's
 * features are the ids of its samples, so tests can check exactly which samples arrived.
 */
public final class SyntheticDataset {
  private final String prefix;
  private final int size;
  private final int classes;

  public SyntheticDataset(String prefix, int size, int classes) {
    this.prefix = prefix;
    this.size = size;
    this.classes = classes;
  }

  public String key(int id) {
    return "class" + (id % classes) + "/" + String.format("%06d", id) + ".txt";
  }

  public String uri(int id) {
    return prefix + key(id);
  }

  public int size() {
    return size;
  }

  public int classes() {
    return classes;
  }

  /** uri -> content. */
  public Map<String, byte[]> objects() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      out.put(uri(i), Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The manifest in id order, labels from the class folders. */
  public Manifest manifest() {
    Manifest.Builder b = Manifest.builder(prefix);
    for (int i = 0; i < size; i++) {
      b.add(key(i), "class" + (i % classes));
    }
    return b.build();
  }

  /**
   * A transform giving features {@code [id, r]}: the object's id and a draw from the per-sample generator
   * (so tests can check that augmentation randomness is reproducible).
   */
  public static Transform<StoredObject, Features> identify() {
    return new Transform<>() {
      @Override
      public Features apply(StoredObject input, SampleContext context) {
        String text = new String(input.bytes(), StandardCharsets.UTF_8);
        float id;
        try {
          id = Integer.parseInt(text);
        } catch (NumberFormatException e) {
          throw new SluiceException("not an id: '" + text + "' in " + context.key(), context.key(), false, e);
        }
        return Features.of(new float[] {id, context.random().nextInt(1 << 20)}, 2);
      }

      @Override
      public String toString() {
        return "identify";
      }
    };
  }
}
