package io.sluice.loader.manifest;

import java.util.Objects;

/**
 * One object that appears in two channels: the same URI, or the same content (equal ETag and size) under
 * two URIs. Found by {@link Manifests#leaks}.
 *
 * @param channel the first channel
 * @param uri the entry's URI in the first channel
 * @param otherChannel the second channel
 * @param otherUri the entry's URI in the second channel
 * @param sameUri {@code true} for the same URI, {@code false} for the same ETag and size
 */
public record Leak(String channel, String uri, String otherChannel, String otherUri, boolean sameUri) {

  /**
   * Validates the record.
   *
   * @throws NullPointerException if a channel or URI is null
   */
  public Leak {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(otherChannel, "otherChannel");
    Objects.requireNonNull(otherUri, "otherUri");
  }

  /** Says what leaks, e.g. {@code s3://b/cat/1.jpg in train and test}. */
  @Override
  public String toString() {
    if (sameUri) {
      return uri + " in " + channel + " and " + otherChannel;
    }
    return uri + " (" + channel + ") and " + otherUri + " (" + otherChannel + ") have the same ETag and size";
  }
}
