package io.sluice.spark;

import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.ManifestReader;
import io.sluice.loader.store.ObjectStore;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where the manifest lives and how to read it: the driver and every executor read it from the store, and the
 * executors check that they got the manifest the driver planned with (by its digest).
 *
 * @param uri the manifest's URI in the store, e.g. {@code s3://bucket/manifests/train.manifest}
 * @param format its format, or {@code null} to detect it from the content
 */
public record ManifestSource(String uri, ManifestFormat format) implements Serializable {

  /** Validates the URI. */
  public ManifestSource {
    Objects.requireNonNull(uri, "uri");
    if (uri.isBlank()) {
      throw new IllegalArgumentException("manifest uri must not be blank");
    }
  }

  /** The manifest at {@code uri}, its format detected from the content. */
  public static ManifestSource at(String uri) {
    return new ManifestSource(uri, null);
  }

  /** The manifest at {@code uri} in {@code format}. */
  public static ManifestSource at(String uri, ManifestFormat format) {
    return new ManifestSource(uri, Objects.requireNonNull(format, "format"));
  }

  /** Reads the manifest from {@code store}. */
  public Manifest read(ObjectStore store) {
    ManifestReader.Builder reader = ManifestReader.builder();
    if (format != null) {
      reader.format(format);
    }
    return reader.build().read(uri, store);
  }

  @Override
  public String toString() {
    return uri + (format == null ? "" : " (" + format + ")");
  }
}
