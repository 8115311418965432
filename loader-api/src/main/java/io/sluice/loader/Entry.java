package io.sluice.loader;

import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.StoredObject;
import java.util.Map;
import java.util.Objects;

/**
 * One manifest entry as a {@link Target} sees it: its URI, its label and, when the loader was given
 * {@link DataLoader.Builder#attributes EntryAttributes}, the rest of its manifest line.
 */
public final class Entry {
  private final Manifest manifest;
  private final int index;
  private final EntryAttributes attributes;
  private Map<String, Object> parsed;
  private Map<String, StoredObject> companions = Map.of();

  /**
   * @param attributes the attributes of the manifest's entries, or {@code null} if there are none
   * @throws IndexOutOfBoundsException if {@code index} is not an entry of {@code manifest}
   */
  public Entry(Manifest manifest, int index, EntryAttributes attributes) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.index = Objects.checkIndex(index, manifest.size());
    this.attributes = attributes;
  }

  /** The manifest this entry belongs to. */
  public Manifest manifest() {
    return manifest;
  }

  /** The entry's index in its manifest. */
  public int index() {
    return index;
  }

  /** The entry's full URI. */
  public String uri() {
    return manifest.uri(index);
  }

  /** The entry's label index, or {@link Manifest#NO_LABEL}. */
  public int label() {
    return manifest.label(index);
  }

  /**
   * The entry's manifest line as plain Java values (see {@link EntryAttributes}).
   *
   * @throws SluiceException naming the entry if the loader has no attributes or the file has no line for it
   */
  public Map<String, Object> attributes() {
    if (parsed == null) {
      if (attributes == null) {
        throw error("has no attributes: give the loader the augmented manifest's EntryAttributes "
            + "(DataLoader.Builder.attributes)");
      }
      Map<String, Object> line = attributes.get(index);
      if (line == null) {
        throw error("has no line in " + attributes);
      }
      parsed = line;
    }
    return parsed;
  }

  /**
   * The value of attribute {@code name}.
   *
   * @throws SluiceException naming the entry if it has no such attribute
   */
  public Object attribute(String name) {
    Map<String, Object> line = attributes();
    if (!line.containsKey(name)) {
      throw error("has no attribute '" + name + "' (it has " + line.keySet() + ")");
    }
    return line.get(name);
  }

  /**
   * A further object fetched for this entry because a target named it in {@link Target#companions}.
   *
   * @throws SluiceException naming the entry if no target asked for {@code uri}
   */
  public StoredObject companion(String uri) {
    StoredObject object = companions.get(uri);
    if (object == null) {
      throw error("has no companion object " + uri + " fetched: a target must name it in companions()");
    }
    return object;
  }

  /** Hands the fetched companions over; the loader calls this before the targets run. */
  public void companions(Map<String, StoredObject> fetched) {
    this.companions = Map.copyOf(fetched);
  }

  /** Where the entry's attributes were read, for error messages. */
  public String where() {
    return attributes == null ? "manifest entry " + index : attributes.where(index);
  }

  /** An error about this entry: the message starts with its URI and where it was read. */
  public SluiceException error(String problem) {
    return new SluiceException("entry " + index + " (" + uri() + ", " + where() + ") " + problem, uri(), false, null);
  }

  @Override
  public String toString() {
    return "Entry{" + index + ", " + uri() + "}";
  }
}
