package io.sluice.cli;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.ManifestReader;
import io.sluice.loader.manifest.Manifests;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A manifest file read by {@code validate} or {@code stats}: from a local path or {@code s3://}, streaming,
 * with its format, its channels and the SHA-256 of its bytes.
 */
record ManifestInput(String location, ManifestFormat format, String sha256, Map<String, Manifest> channels) {
  /**
   * Reads the manifest at {@code location}.
   *
   * @throws io.sluice.loader.manifest.ManifestException if it is malformed
   * @throws IOException if it cannot be read
   */
  static ManifestInput read(String location, ManifestOptions options, S3Connection s3) throws IOException {
    String channel = options.channel != null ? options.channel : channelOf(location);
    ManifestReader.Builder reader = Manifests.reader().defaultChannel(channel).classFolders(!options.noClassFolders);
    if (options.labels != null) {
      reader.labels(LabelMap.read(options.labels));
    }
    try {
      if (options.prefix != null) {
        reader.prefix(options.prefix);
      }
      if (options.sourceAttribute != null) {
        reader.sourceAttribute(options.sourceAttribute);
      }
      if (options.unlabelled && options.labelAttribute != null) {
        throw new UsageException("--unlabelled and --label-attribute exclude each other");
      }
      if (options.labelAttribute != null) {
        reader.labelAttribute(options.labelAttribute);
      }
      if (options.unlabelled) {
        reader.unlabelled();
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    MessageDigest sha = newSha256();
    try (InputStream raw = open(location, s3);
        BufferedInputStream in = new BufferedInputStream(new DigestInputStream(raw, sha), 1 << 16)) {
      ManifestFormat format;
      if (options.format != null) {
        format = options.format;
      } else {
        in.mark(ManifestFormat.DETECTION_BYTES);
        byte[] head = in.readNBytes(ManifestFormat.DETECTION_BYTES);
        in.reset();
        format = ManifestFormat.detect(head, location);
      }
      Map<String, Manifest> channels = reader.format(format).build().readChannels(in, location);
      in.transferTo(OutputStream.nullOutputStream()); // the digest covers the whole file
      return new ManifestInput(location, format, HexFormat.of().formatHex(sha.digest()), channels);
    }
  }

  /** Opens the manifest at {@code location}, a local path or {@code s3://}. */
  static InputStream open(String location, S3Connection s3) throws IOException {
    if (location.regionMatches(true, 0, "s3://", 0, 5)) {
      return s3.open(location);
    }
    try {
      return Files.newInputStream(Path.of(location));
    } catch (NoSuchFileException e) {
      throw new UsageException("no such file: " + location);
    }
  }

  /** The channel a file's name suggests: {@code train.manifest} is train, else the name without extension. */
  static String channelOf(String location) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    name = name.substring(name.lastIndexOf(java.io.File.separatorChar) + 1);
    String lower = name.toLowerCase(Locale.ROOT);
    for (String c : ManifestReader.STANDARD_CHANNELS) {
      if (lower.equals(c) || lower.startsWith(c + ".") || lower.startsWith(c + "-") || lower.startsWith(c + "_")) {
        return c;
      }
    }
    int dot = name.indexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    return base.isEmpty() ? "train" : base;
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  /** The entries in every channel. */
  long entries() {
    long n = 0;
    for (Manifest m : channels.values()) {
      n += m.size();
    }
    return n;
  }
}
