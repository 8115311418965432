package io.sluice.loader.manifest;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The front door for manifests: {@link #reader()} and {@link #writer(ManifestFormat)} for every
 * {@link ManifestFormat}, {@link #split()} to make channel manifests from a listing, and
 * {@link #leaks} to check channels against each other.
 *
 * <p>The {@code readManifestFile} and {@code writeManifestFile} methods are shortcuts for the SageMaker
 * ManifestFile: labels come from the class folder, the first path segment of each key under the prefix, so
 * {@code s3://bucket/train/cat/001.jpg} with prefix {@code s3://bucket/train/} is class {@code cat}. Without
 * a label map the classes found are encoded in sorted order; with one (read back from a saved file) a class
 * missing from it is an error.
 *
 * <p>Every reading error is a {@link ManifestException} naming the source, the line and column, the
 * offending text and what was expected.
 */
public final class Manifests {
  private static final ManifestWriter MANIFEST_FILE_WRITER = writer(ManifestFormat.MANIFEST_FILE).build();

  private Manifests() {}

  /** Starts configuring a reader of any format; see {@link ManifestReader}. */
  public static ManifestReader.Builder reader() {
    return ManifestReader.builder();
  }

  /**
   * Starts configuring a writer of {@code format}; see {@link ManifestWriter}.
   *
   * @throws NullPointerException if {@code format} is null
   */
  public static ManifestWriter.Builder writer(ManifestFormat format) {
    return ManifestWriter.builder(format);
  }

  /** Starts configuring a split of a listing into channel manifests; see {@link ChannelSplit}. */
  public static ChannelSplit.Builder split() {
    return ChannelSplit.builder();
  }

  /**
   * Every object that appears in two channels: the same URI, or (where both entries record them) the same
   * ETag and size under different URIs, so the same content. A group of equal entries is reported as each
   * member in another channel against the first one.
   *
   * @param channels manifests by channel name
   * @return the leaks, by URI first, then by content; empty when the channels are disjoint
   */
  public static List<Leak> leaks(Map<String, Manifest> channels) {
    Manifest[] manifests = channels.values().toArray(Manifest[]::new);
    String[] names = channels.keySet().toArray(String[]::new);
    return new CrossChannelCheck(manifests, names).leaks();
  }

  private static ManifestReader manifestFileReader(LabelMap labels) {
    ManifestReader.Builder b = reader().format(ManifestFormat.MANIFEST_FILE);
    if (labels != null) {
      b.labels(labels);
    }
    return b.build();
  }

  /**
   * Reads a SageMaker ManifestFile: a JSON array whose first element is {@code {"prefix": "s3://bucket/path/"}}
   * and whose other elements are keys relative to it.
   *
   * @param file the manifest file
   * @param labels the label encoding to use, or {@code null} to make one from the class folders found
   * @throws ManifestException if the file is malformed, a key has no class folder, a class is not in
   *     {@code labels}, or a key appears twice
   * @throws IOException if the file cannot be read
   */
  public static Manifest readManifestFile(Path file, LabelMap labels) throws IOException {
    return manifestFileReader(labels).read(file);
  }

  /**
   * Reads a SageMaker ManifestFile from an object store, e.g. {@code s3://bucket/manifests/train.manifest}.
   *
   * @throws ManifestException as {@link #readManifestFile(Path, LabelMap)}
   * @throws SluiceException naming {@code uri} if it cannot be fetched
   */
  public static Manifest readManifestFile(String uri, ObjectStore store, LabelMap labels) {
    return manifestFileReader(labels).read(uri, store);
  }

  /**
   * Reads a SageMaker ManifestFile from a stream.
   *
   * @param source the name to use in error messages
   * @throws ManifestException as {@link #readManifestFile(Path, LabelMap)}
   * @throws IOException if the stream cannot be read
   */
  public static Manifest readManifestFile(InputStream in, String source, LabelMap labels) throws IOException {
    return manifestFileReader(labels).read(in, source);
  }

  /**
   * Writes {@code manifest} as a SageMaker ManifestFile, one key per line, UTF-8.
   *
   * @throws IllegalArgumentException if an entry's class folder is not its class
   * @throws IOException if the stream cannot be written
   */
  public static void writeManifestFile(Manifest manifest, OutputStream out) throws IOException {
    MANIFEST_FILE_WRITER.write(Objects.requireNonNull(manifest, "manifest"), out);
  }

  /**
   * Writes {@code manifest} as a SageMaker ManifestFile at {@code file}.
   *
   * @throws IllegalArgumentException if an entry's class folder is not its class
   * @throws IOException if the file cannot be written
   */
  public static void writeManifestFile(Manifest manifest, Path file) throws IOException {
    MANIFEST_FILE_WRITER.write(Objects.requireNonNull(manifest, "manifest"), file);
  }
}
