package io.sluice.loader.manifest;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The front door for reading manifests: {@link #read(String, ObjectStore)} reads any {@link ManifestFormat}
 * from a local path or an {@code s3://} URI in one call, {@link #reader()} configures every detail, and
 * {@link #leaks} checks channels against each other. Building and writing manifests is in the
 * {@code loader-manifest-tools} module, which the loader does not need at run time.
 *
 * <pre>{@code
 * Manifest train = Manifests.read("manifests/train.jsonl", store);       // channel "train"
 * Manifest validation = Manifests.read("s3://bucket/m/validation.csv", store); // channel "validation"
 * }</pre>
 *
 * <p>The format is recognised from the content ({@link ManifestFormat#detect}), not the name. A file whose lines
 * name no channel takes it from its file name, {@link #channelOf}; the classes found are encoded in sorted order
 * unless a {@link ManifestReader.Builder#labels label map} is given (read every channel of one dataset with the
 * same one, e.g. the {@code labels.tsv} that {@code sluice manifest build} writes, so their indices agree).
 *
 * <p>The {@code readManifestFile} methods read a SageMaker ManifestFile only: labels come from the class
 * folder, the first path segment of each key under the prefix, so {@code s3://bucket/train/cat/001.jpg} with
 * prefix {@code s3://bucket/train/} is class {@code cat}. Without a label map the classes found are encoded
 * in sorted order; with one (read back from a saved file) a class missing from it is an error.
 *
 * <p>Every reading error is a {@link ManifestException} naming the source, the line and column, the
 * offending text and what was expected.
 */
public final class Manifests {
  private static final ManifestReader DETECTING = ManifestReader.builder().build();

  private Manifests() {}

  /** Starts configuring a reader of any format; see {@link ManifestReader}. */
  public static ManifestReader.Builder reader() {
    return ManifestReader.builder();
  }

  /**
   * Reads the manifest at {@code location}, which holds one channel, in whichever format its content is:
   * an augmented manifest (JSON Lines, SageMaker Ground Truth output included), CSV, a SageMaker ManifestFile
   * or a key list. A URI with a scheme, e.g. {@code s3://bucket/manifests/train.manifest}, is fetched from
   * {@code store}; a {@code file:} URI or a path without a scheme, e.g. {@code manifests/train.jsonl} as
   * {@code sluice manifest build} writes it, is read from the local file system. The manifest's
   * {@link Manifest#channel()} is the one its lines name, else the one its file name gives ({@link #channelOf}).
   * Classes are encoded in sorted order; for another encoding use {@link #reader()}.
   *
   * @param location a local path or a URI
   * @param store the store that holds {@code location} if it is a URI
   * @throws NullPointerException if an argument is null
   * @throws ManifestException naming the file and line if the manifest is malformed, or if it holds entries
   *     of several channels (read those with {@link #readChannels(String, ObjectStore)})
   * @throws SluiceException naming {@code location} if it cannot be fetched or read
   */
  public static Manifest read(String location, ObjectStore store) {
    return DETECTING.read(location, store);
  }

  /**
   * Reads every channel of the manifest at {@code location}, as {@link #read(String, ObjectStore)}: a CSV or
   * augmented manifest may name each entry's channel; entries that name none belong to the channel the file
   * name gives.
   *
   * @return the manifests by channel: {@code train}, {@code validation}, {@code test} in that order, then
   *     any others
   * @throws NullPointerException if an argument is null
   * @throws ManifestException naming the file and line if the manifest is malformed
   * @throws SluiceException naming {@code location} if it cannot be fetched or read
   */
  public static Map<String, Manifest> readChannels(String location, ObjectStore store) {
    return DETECTING.readChannels(location, store);
  }

  /**
   * Reads the local manifest file {@code file}, which holds one channel; see {@link #read(String, ObjectStore)}.
   *
   * @throws ManifestException naming the file and line if the manifest is malformed or holds several channels
   * @throws IOException if the file cannot be read
   */
  public static Manifest read(Path file) throws IOException {
    return DETECTING.read(file);
  }

  /**
   * The channel a manifest's file name gives: its name (after the last {@code /}), ignoring case, is
   * {@code train}, {@code validation} or {@code test}, or starts with one followed by {@code .}, {@code -} or
   * {@code _}: so {@code validation.jsonl}, {@code s3://b/m/test.manifest}, {@code train.csv} and
   * {@code validation-2024.csv} name their channel. Any other name gives {@link Manifest#DEFAULT_CHANNEL}
   * ({@code train}).
   *
   * @param location a path, URI or file name
   * @throws NullPointerException if {@code location} is null
   */
  public static String channelOf(String location) {
    String name = location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\')) + 1);
    String lower = name.toLowerCase(Locale.ROOT);
    for (String c : ManifestReader.STANDARD_CHANNELS) {
      if (lower.equals(c) || lower.startsWith(c + ".") || lower.startsWith(c + "-") || lower.startsWith(c + "_")) {
        return c;
      }
    }
    return Manifest.DEFAULT_CHANNEL;
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
}
