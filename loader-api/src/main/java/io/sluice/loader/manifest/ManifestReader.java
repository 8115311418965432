package io.sluice.loader.manifest;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Reads manifests in any {@link ManifestFormat}, streaming, into compact {@link Manifest}s: one per channel.
 *
 * <pre>{@code
 * Map<String, Manifest> channels = Manifests.reader().labels(LabelMap.read(labelFile)).build()
 *     .readChannels(Path.of("dataset.csv"));
 * Manifest train = channels.get("train");
 * }</pre>
 *
 * <p>The format is {@linkplain ManifestFormat#detect detected} from the content unless
 * {@link Builder#format set}. Entries whose line names no channel (every entry of a ManifestFile or key list)
 * belong to the {@link Builder#defaultChannel}: unless set, the one the file's name gives
 * ({@link Manifests#channelOf}: {@code validation.jsonl} is {@code validation}, a name that is no channel
 * {@code train}). Each manifest read knows its {@link Manifest#channel()}.
 *
 * <p>Every channel of one file shares one label encoding: the {@link Builder#labels fixed} one, or the
 * class names found, sorted. Every error is a {@link ManifestException} naming the source, the line (and
 * column where it helps), the offending text and what was expected; two entries with the same key, in any
 * channels, are an error naming both lines. Instances are immutable and thread-safe.
 */
public final class ManifestReader {
  /** The channels a split has, in order: {@code train}, {@code validation}, {@code test}. */
  public static final List<String> STANDARD_CHANNELS = List.of("train", "validation", "test");

  private final ManifestFormat format;
  private final LabelMap labels;
  private final String prefix;
  private final boolean classFolders;
  private final List<String> channels;
  private final String defaultChannel;
  private final JsonFormats.Attributes attributes;

  private ManifestReader(Builder b) {
    this.format = b.format;
    this.labels = b.labels;
    this.prefix = b.prefix;
    this.classFolders = b.classFolders;
    this.channels = b.channels;
    this.defaultChannel = b.defaultChannel;
    this.attributes = new JsonFormats.Attributes(b.sourceAttribute, b.labelAttribute, b.channelAttribute);
  }

  /** Starts configuring a reader; every setting has a default. Same as {@link Manifests#reader()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads every channel of a local file.
   *
   * @return the manifests by channel, in the order of the {@link Builder#channels allowed channels}
   * @throws ManifestException if the file is malformed, see the class description
   * @throws IOException if the file cannot be read
   */
  public Map<String, Manifest> readChannels(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return readChannels(in, file.toString());
    }
  }

  /**
   * Reads every channel of the manifest at {@code location}: a URI with a scheme, e.g.
   * {@code s3://bucket/m/train.csv}, is fetched whole from {@code store} (the store interface reads whole
   * objects), then parsed as a stream; a {@code file:} URI or a path without a scheme, e.g.
   * {@code manifests/train.jsonl}, is read from the local file system.
   *
   * @throws NullPointerException if an argument is null
   * @throws ManifestException if the manifest is malformed, see the class description
   * @throws SluiceException naming {@code location} if it cannot be fetched or read
   */
  public Map<String, Manifest> readChannels(String location, ObjectStore store) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(store, "store");
    Path local = localPath(location);
    if (local != null) {
      try {
        return readChannels(local);
      } catch (IOException e) {
        throw new SluiceException("cannot read manifest " + location + ": " + e, location, false, e);
      }
    }
    String uri = location;
    StoredObject object;
    try {
      object = store.get(ObjectRef.of(uri)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SluiceException s) {
        throw s;
      }
      throw new SluiceException("cannot read manifest " + uri + ": " + e.getCause(), uri, false, e.getCause());
    }
    try {
      return readChannels(new ByteArrayInputStream(object.bytes()), uri);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads every channel from a stream, which is not closed.
   *
   * @param source the name to use in error messages, to detect CSV by its {@code .csv} ending and, unless a
   *     {@link Builder#defaultChannel} is set, to name the channel of entries that name none
   *     ({@link Manifests#channelOf})
   * @throws ManifestException if the manifest is malformed, see the class description
   * @throws IOException if the stream cannot be read
   */
  public Map<String, Manifest> readChannels(InputStream in, String source) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    ManifestFormat f = format != null ? format : detect(buffered, source);
    String channel = defaultChannel != null ? defaultChannel : Manifests.channelOf(source);
    ChannelCollector out = new ChannelCollector(source, labels, channels, channel,
        f == ManifestFormat.MANIFEST_FILE ? "" : prefix);
    switch (f) {
      case MANIFEST_FILE -> JsonFormats.readManifestFile(buffered, out);
      case AUGMENTED -> JsonFormats.readAugmented(buffered, out, attributes);
      case CSV -> TextFormats.readCsv(TextFormats.utf8(buffered), out);
      case KEYS -> TextFormats.readKeys(TextFormats.utf8(buffered), out);
      default -> throw new IllegalStateException("format " + f);
    }
    return out.finish(classFolders && !f.recordsLabels());
  }

  /**
   * Reads a local file that holds one channel.
   *
   * @throws ManifestException if the file is malformed or holds entries of more than one channel
   * @throws IOException if the file cannot be read
   */
  public Manifest read(Path file) throws IOException {
    return only(readChannels(file), file.toString());
  }

  /**
   * Reads the manifest at {@code location}, which holds one channel: a URI fetched from {@code store} or a
   * local path, see {@link #readChannels(String, ObjectStore)}.
   *
   * @throws ManifestException if the manifest is malformed or holds entries of more than one channel
   * @throws SluiceException naming {@code location} if it cannot be fetched or read
   */
  public Manifest read(String location, ObjectStore store) {
    return only(readChannels(location, store), location);
  }

  /**
   * Reads a stream that holds one channel.
   *
   * @throws ManifestException if the manifest is malformed or holds entries of more than one channel
   * @throws IOException if the stream cannot be read
   */
  public Manifest read(InputStream in, String source) throws IOException {
    return only(readChannels(in, source), source);
  }

  /**
   * The local file {@code location} names: a {@code file:} URI or a path without a scheme; {@code null} for a
   * URI with another scheme, such as {@code s3://bucket/key}.
   */
  static Path localPath(String location) {
    int colon = location.indexOf(':');
    boolean scheme = colon > 1 && location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
    if (!scheme) {
      return Path.of(location);
    }
    if (location.regionMatches(true, 0, "file:", 0, 5)) {
      return Path.of(java.net.URI.create(location));
    }
    return null;
  }

  private static Manifest only(Map<String, Manifest> channels, String source) {
    if (channels.size() != 1) {
      throw new ManifestException(source, 0, 0, "holds the channels " + channels.keySet()
          + ": expected one; read them with readChannels");
    }
    return channels.values().iterator().next();
  }

  /** The format of the stream's content, which is left unread; see {@link ManifestFormat#detect}. */
  static ManifestFormat detect(BufferedInputStream in, String source) throws IOException {
    in.mark(ManifestFormat.DETECTION_BYTES);
    byte[] head = in.readNBytes(ManifestFormat.DETECTION_BYTES);
    in.reset();
    return ManifestFormat.detect(head, source);
  }

  @Override
  public String toString() {
    return "ManifestReader{format=" + (format == null ? "detected" : format) + ", labels="
        + (labels == null ? "from the classes found" : labels.size() + " classes") + "}";
  }

  /** Configures a {@link ManifestReader}. Not thread-safe. */
  public static final class Builder {
    private ManifestFormat format;
    private LabelMap labels;
    private String prefix;
    private boolean classFolders = true;
    private List<String> channels = STANDARD_CHANNELS;
    private String defaultChannel;
    private String sourceAttribute = "source-ref";
    private String labelAttribute = "class";
    private String channelAttribute = "channel";

    private Builder() {}

    /**
     * Reads this format. Default: detected from the content, see {@link ManifestReader}.
     *
     * @throws NullPointerException if {@code format} is null
     */
    public Builder format(ManifestFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Labels entries against this encoding, for example one saved by an earlier build: a class missing from
     * it is an error, and integer labels (augmented manifests, CSV) are indices into it. Default: the class
     * names found, in sorted order; integer labels are then an error unless a Ground Truth
     * {@code <label>-metadata} names the class.
     *
     * @throws NullPointerException if {@code labels} is null
     */
    public Builder labels(LabelMap labels) {
      this.labels = Objects.requireNonNull(labels, "labels");
      return this;
    }

    /**
     * Sets the prefix that URIs must start with and keys are relative to; class folders are the first
     * segment under it. A ManifestFile names its own prefix and ignores this. Default: the longest
     * directory every URI in the file shares (so give the prefix when a key list's keys all sit in one class
     * folder).
     *
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if {@code prefix} is not empty and does not end with {@code /}
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        throw new IllegalArgumentException("prefix must end with '/', was '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Whether to label the entries of formats that carry no labels (ManifestFile, key lists) by their class
     * folder; without, they are unlabelled ({@link Manifest#NO_LABEL}). Default {@code true}.
     */
    public Builder classFolders(boolean classFolders) {
      this.classFolders = classFolders;
      return this;
    }

    /**
     * Sets the channel names a file may use; any other is an error naming the line. Default
     * {@link #STANDARD_CHANNELS}.
     *
     * @throws NullPointerException if {@code names} or one of them is null
     * @throws IllegalArgumentException if {@code names} is empty or holds an empty or repeated name
     */
    public Builder channels(List<String> names) {
      List<String> copy = List.copyOf(names);
      if (copy.isEmpty()) {
        throw new IllegalArgumentException("channels must name at least one channel");
      }
      if (copy.stream().anyMatch(String::isEmpty) || copy.stream().distinct().count() != copy.size()) {
        throw new IllegalArgumentException("channels must be non-empty and distinct, were " + copy);
      }
      this.channels = copy;
      return this;
    }

    /**
     * Sets the channel of entries whose line names none, and of every entry of one-channel formats. Default:
     * the channel the file's name gives, {@link Manifests#channelOf} ({@code validation.jsonl} is
     * {@code validation}; a name that is no channel gives {@code train}).
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder defaultChannel(String name) {
      this.defaultChannel = requireName(name, "default channel");
      return this;
    }

    /**
     * Sets the augmented-manifest attribute holding each object's URI. Default {@code source-ref}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder sourceAttribute(String name) {
      this.sourceAttribute = requireName(name, "source attribute");
      return this;
    }

    /**
     * Sets the augmented-manifest attribute holding each label: a class name, a class index, or (Ground
     * Truth) an index with the class name in {@code <name>-metadata}'s {@code class-name}. Default
     * {@code class}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder labelAttribute(String name) {
      this.labelAttribute = requireName(name, "label attribute");
      return this;
    }

    /**
     * Reads augmented manifests whose lines carry no single class: Ground Truth multi-label, bounding-box or
     * segmentation output, or data to run inference on. Every entry gets {@link Manifest#NO_LABEL}; the
     * targets are then read from the lines with {@link EntryAttributes}. Replaces {@link #labelAttribute}.
     */
    public Builder unlabelled() {
      this.labelAttribute = null;
      return this;
    }

    /**
     * Sets the augmented-manifest attribute naming each entry's channel; lines without it belong to the
     * {@link #defaultChannel}. Default {@code channel}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public Builder channelAttribute(String name) {
      this.channelAttribute = requireName(name, "channel attribute");
      return this;
    }

    private static String requireName(String name, String what) {
      Objects.requireNonNull(name, what);
      if (name.isEmpty()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
      return name;
    }

    /** The reader. */
    public ManifestReader build() {
      return new ManifestReader(this);
    }
  }
}
