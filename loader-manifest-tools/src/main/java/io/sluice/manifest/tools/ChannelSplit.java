package io.sluice.manifest.tools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Leak;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestException;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.ManifestReader;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Makes channel manifests from a listing: labels every object under a root, encodes the labels, assigns
 * each object to {@code train}, {@code validation} or {@code test}, and checks the result.
 *
 * <pre>{@code
 * ChannelSplit.Result split = ChannelSplit.builder()
 *     .root("s3://bucket/images/")       // class folders: s3://bucket/images/cat/001.jpg is class "cat"
 *     .suffixes(".jpg", ".png")
 *     .ratios(0.8, 0.1, 0.1)
 *     .seed(42)
 *     .minPerClass(5)
 *     .build()
 *     .split(store);                      // every page listed (S3: fanned out by common prefix)
 * split.write(Path.of("manifests"), ManifestWriter.builder(ManifestFormat.AUGMENTED).build());
 * }</pre>
 *
 * <p><b>The split.</b> Each class is split on its own (stratified), and each object by its own hash: the
 * first 64 bits of SHA-256 over the seed (8 bytes, big-endian) and the key under the root (UTF-8), as a
 * fraction {@code u} in {@code [0, 1)}; the object goes to train if {@code u < train}, else to validation if
 * {@code u < train + validation}, else to test. So a key's channel depends on nothing but the seed, the ratios
 * and the key itself: adding objects never moves an existing one, and the split can be recomputed anywhere.
 * The price is that a class's channel counts follow the ratios only on average (binomially), which the
 * minimum per class checks.
 *
 * <p><b>Checks.</b> Every class must have at least {@link Builder#minPerClass} objects in every channel
 * with a non-zero ratio, else one error lists every class that falls short (an empty class too). No object
 * may appear in two channels: by key (impossible from one listing, but checked), or by equal ETag and size,
 * the same content under two keys (see {@link Manifests#leaks}).
 *
 * <p>Entries record each object's size and ETag from the listing (and version id when the listing has one),
 * so the manifests are {@linkplain Manifest#pinned() pinned}. Instances are immutable and thread-safe.
 */
public final class ChannelSplit {
  /** The channels, in order. */
  public static final List<String> CHANNELS = ManifestReader.STANDARD_CHANNELS;

  private final String root;
  private final List<String> suffixes;
  private final Function<String, String> labelFunction;
  private final LabelMap labels;
  private final double[] ratios;
  private final double[] thresholds;
  private final long seed;
  private final int minPerClass;
  private final boolean leakageCheck;

  private ChannelSplit(Builder b) {
    this.root = b.root;
    this.suffixes = b.suffixes;
    this.labelFunction = b.labelFunction;
    this.labels = b.labels;
    this.ratios = b.ratios.clone();
    this.seed = b.seed;
    this.minPerClass = b.minPerClass;
    this.leakageCheck = b.leakageCheck;
    double sum = ratios[0] + ratios[1] + ratios[2];
    this.thresholds = new double[] {ratios[0] / sum, (ratios[0] + ratios[1]) / sum};
  }

  /** Starts configuring a split; {@link Builder#root} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The root the objects are listed under, ending with {@code /}. */
  public String root() {
    return root;
  }

  /** The seed of the hash that assigns channels. */
  public long seed() {
    return seed;
  }

  /**
   * The channel of the object with {@code key} (relative to the root), see the class description.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public String channelOf(String key) {
    double u = fraction(sha256(), seed, Objects.requireNonNull(key, "key"));
    return CHANNELS.get(channelIndex(u));
  }

  private int channelIndex(double u) {
    int c = u < thresholds[0] ? 0 : u < thresholds[1] ? 1 : 2;
    // Rounding must never put an object into a channel with ratio 0: take the nearest earlier one.
    while (ratios[c] == 0) {
      c = c == 0 ? 1 : c - 1;
    }
    return c;
  }

  private static final JsonFactory JSON = new JsonFactory();

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  /** The first path segment of {@code key} (its class folder), or {@code null} if it has none. */
  static String classFolder(String key) {
    int slash = key.indexOf('/');
    return slash <= 0 ? null : key.substring(0, slash);
  }

  /** The first 20 names, then how many more. */
  private static String abbreviate(List<String> names) {
    if (names.size() <= 20) {
      return names.toString();
    }
    return names.subList(0, 20).toString().replace("]", ", ... " + (names.size() - 20) + " more]");
  }

  /** The first 64 bits of SHA-256(seed, key), as a fraction in [0, 1) with 53 bits. */
  private static double fraction(MessageDigest sha, long seed, String key) {
    sha.reset();
    byte[] s = new byte[8];
    for (int b = 7; b >= 0; b--) {
      s[b] = (byte) seed;
      seed >>>= 8;
    }
    sha.update(s);
    byte[] h = sha.digest(key.getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int b = 0; b < 8; b++) {
      bits = (bits << 8) | (h[b] & 0xFF);
    }
    return (bits >>> 11) * 0x1.0p-53;
  }

  /**
   * Lists every object under the root in {@code store} (S3: ListObjectsV2, following every page, fanned out by
   * common prefix and sorted, so the same as a sequential listing) and splits them. The listing has no version ids; use {@link #split(Collection)} with a versioned listing to
   * record them.
   *
   * @throws ManifestException if there are no objects, an object has no class, a class falls short of the
   *     minimum, or channels leak
   * @throws SluiceException if the listing fails
   */
  public Result split(ObjectStore store) {
    Objects.requireNonNull(store, "store");
    List<ObjectInfo> listed;
    try {
      listed = store.list(root).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SluiceException s) {
        throw s;
      }
      throw new SluiceException("cannot list " + root + ": " + e.getCause(), root, false, e.getCause());
    }
    List<ObjectRef> objects = new ArrayList<>(listed.size());
    for (ObjectInfo info : listed) {
      objects.add(new ObjectRef(info.uri(), info.size() < 0 ? -1 : info.size(), info.etag(), null));
    }
    return split(objects);
  }

  /**
   * Splits the objects of a listing made by the caller, recording each one's size, ETag and version id.
   * Keys ending with {@code /} are folder markers: not objects, but (with class folders) they make their
   * class known even when it holds no objects.
   *
   * @throws IllegalArgumentException if an object is not under the root
   * @throws ManifestException if there are no objects, an object has no class, a class falls short of the
   *     minimum, or channels leak
   */
  public Result split(Collection<ObjectRef> listing) {
    List<ObjectRef> objects = new ArrayList<>(listing);
    objects.sort(Comparator.comparing(ObjectRef::uri));
    Set<String> markedClasses = new TreeSet<>();
    List<ObjectRef> kept = new ArrayList<>(objects.size());
    List<String> classes = new ArrayList<>(objects.size());
    List<String> unlabelled = new ArrayList<>();
    int skipped = 0;
    for (ObjectRef o : objects) {
      if (!o.uri().startsWith(root)) {
        throw new IllegalArgumentException("object " + o.uri() + " is not under the root " + root);
      }
      String key = o.uri().substring(root.length());
      if (key.isEmpty() || key.endsWith("/")) {
        String folder = classFolder(key);
        if (labelFunction == null && folder != null) {
          markedClasses.add(folder);
        }
        continue;
      }
      if (!suffixes.isEmpty() && !hasSuffix(key)) {
        skipped++;
        continue;
      }
      String className = labelFunction == null ? classFolder(key) : labelFunction.apply(key);
      if (className == null) {
        if (labelFunction == null) {
          unlabelled.add(key);
        } else {
          skipped++;
        }
        continue;
      }
      kept.add(o);
      classes.add(className);
    }
    if (!unlabelled.isEmpty()) {
      throw new ManifestException(root, 0, 0, unlabelled.size() + " object(s) directly under the root have no "
          + "class folder: " + quoteSome(unlabelled) + "; expected '<class>/<name>' under the root, or filter "
          + "them out by suffix");
    }
    if (kept.isEmpty()) {
      throw new ManifestException(root, 0, 0, "found no objects under " + root + " to split"
          + (skipped > 0 ? " (" + skipped + " left out by the suffixes " + suffixes + " or the label function)" : "")
          + ": check the root");
    }
    LabelMap map = labels;
    if (map == null) {
      Set<String> all = new TreeSet<>(markedClasses);
      all.addAll(classes);
      try {
        map = LabelMap.sorted(all);
      } catch (IllegalArgumentException e) {
        throw new ManifestException(root, 0, 0, e.getMessage(), e);
      }
    } else {
      Set<String> unknown = new LinkedHashSet<>();
      for (String c : classes) {
        if (map.indexOf(c) < 0) {
          unknown.add(c);
        }
      }
      if (!unknown.isEmpty()) {
        throw new ManifestException(root, 0, 0, "classes " + unknown + " are not in the label map "
            + abbreviate(map.names()) + ": add them to the label map file or remove the objects");
      }
    }
    Manifest.Builder[] builders = new Manifest.Builder[CHANNELS.size()];
    for (int c = 0; c < builders.length; c++) {
      builders[c] = Manifest.builder(root, map).channel(CHANNELS.get(c));
    }
    MessageDigest sha = sha256();
    for (int i = 0; i < kept.size(); i++) {
      ObjectRef o = kept.get(i);
      String key = o.uri().substring(root.length());
      int c = channelIndex(fraction(sha, seed, key));
      builders[c].add(key, map.indexOf(classes.get(i)), o.size(), o.etag(), o.versionId());
    }
    Map<String, Manifest> channels = new LinkedHashMap<>();
    for (int c = 0; c < builders.length; c++) {
      if (ratios[c] > 0) {
        channels.put(CHANNELS.get(c), builders[c].build());
      }
    }
    ClassCounts counts = ClassCounts.of(channels);
    checkMinimum(map, counts);
    if (leakageCheck) {
      List<Leak> leaks = Manifests.leaks(channels);
      if (!leaks.isEmpty()) {
        List<String> shown = new ArrayList<>();
        for (Leak l : leaks.subList(0, Math.min(20, leaks.size()))) {
          shown.add(l.toString());
        }
        throw new ManifestException(root, 0, 0, leaks.size() + " object(s) leak between channels: "
            + String.join("; ", shown) + (leaks.size() > 20 ? "; ..." : "")
            + ". Remove the duplicates or turn the leakage check off");
      }
    }
    return new Result(this, channels, map, counts, skipped);
  }

  private boolean hasSuffix(String key) {
    for (String s : suffixes) {
      if (key.regionMatches(true, key.length() - s.length(), s, 0, s.length())) {
        return true;
      }
    }
    return false;
  }

  private void checkMinimum(LabelMap map, ClassCounts counts) {
    if (minPerClass == 0) {
      return;
    }
    List<String> shortOf = new ArrayList<>();
    for (String name : map.names()) {
      boolean falls = false;
      StringBuilder detail = new StringBuilder();
      for (String channel : counts.channels()) {
        int n = counts.count(name, channel);
        falls |= n < minPerClass;
        detail.append(detail.length() == 0 ? "" : ", ").append(channel).append(' ').append(n);
      }
      if (falls) {
        shortOf.add("'" + name + "' (" + counts.total(name) + " objects: " + detail + ")");
      }
    }
    if (!shortOf.isEmpty()) {
      throw new ManifestException(root, 0, 0, shortOf.size() + " class(es) cannot have " + minPerClass
          + " object(s) in every channel " + counts.channels() + ": " + String.join("; ", shortOf)
          + ". Add objects, lower the minimum per class or change the ratios");
    }
  }

  private static String quoteSome(List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(10, keys.size()); i++) {
      sb.append(i == 0 ? "" : ", ").append('\'').append(keys.get(i)).append('\'');
    }
    return sb.append(keys.size() > 10 ? ", ..." : "").toString();
  }

  @Override
  public String toString() {
    return "ChannelSplit{root=" + root + ", ratios=" + Arrays.toString(ratios) + ", seed=" + seed
        + ", minPerClass=" + minPerClass + "}";
  }

  /** The outcome of a split: the channel manifests, their label map and their counts. Immutable. */
  public static final class Result {
    private final ChannelSplit split;
    private final Map<String, Manifest> channels;
    private final LabelMap labels;
    private final ClassCounts counts;
    private final int skipped;

    private Result(ChannelSplit split, Map<String, Manifest> channels, LabelMap labels, ClassCounts counts,
        int skipped) {
      this.split = split;
      this.channels = java.util.Collections.unmodifiableMap(channels);
      this.labels = labels;
      this.counts = counts;
      this.skipped = skipped;
    }

    /** The manifests by channel, in the order train, validation, test; channels with ratio 0 are left out. */
    public Map<String, Manifest> channels() {
      return channels;
    }

    /** The label encoding every channel shares. */
    public LabelMap labels() {
      return labels;
    }

    /** The number of objects of each class in each channel. */
    public ClassCounts counts() {
      return counts;
    }

    /** The number of objects left out: not matching the suffixes, or given no class by the label function. */
    public int skipped() {
      return skipped;
    }

    /**
     * Writes {@code <channel><extension>} for each channel, {@code labels.tsv} (the label map) and
     * {@code summary.json} (the settings, each file's entries, SHA-256 and content {@link Manifest#digest()},
     * and the counts per class per channel) into {@code directory}, creating it if needed.
     *
     * @return the files written, by channel
     * @throws IOException if a file cannot be written
     */
    public List<ChannelFile> write(Path directory, ManifestWriter writer) throws IOException {
      Files.createDirectories(directory);
      List<ChannelFile> files = new ArrayList<>();
      for (Map.Entry<String, Manifest> e : channels.entrySet()) {
        Path file = directory.resolve(e.getKey() + writer.format().extension());
        MessageDigest sha = sha256();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
          writer.write(e.getValue(), out);
        }
        files.add(new ChannelFile(e.getKey(), file, e.getValue().size(), HexFormat.of().formatHex(sha.digest()),
            e.getValue().digest()));
      }
      labels.write(directory.resolve("labels.tsv"));
      Files.write(directory.resolve("summary.json"), summaryJson(files, writer.format()));
      return files;
    }

    private byte[] summaryJson(List<ChannelFile> files, ManifestFormat format) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (JsonGenerator g = JSON.createGenerator(bytes).useDefaultPrettyPrinter()) {
        g.writeStartObject();
        g.writeStringField("root", split.root);
        g.writeNumberField("seed", split.seed);
        g.writeObjectFieldStart("ratios");
        for (int c = 0; c < CHANNELS.size(); c++) {
          g.writeNumberField(CHANNELS.get(c), split.ratios[c]);
        }
        g.writeEndObject();
        g.writeNumberField("minPerClass", split.minPerClass);
        g.writeStringField("format", format.id());
        g.writeStringField("labels", "labels.tsv");
        g.writeNumberField("skipped", skipped);
        g.writeArrayFieldStart("channels");
        for (ChannelFile f : files) {
          g.writeStartObject();
          g.writeStringField("channel", f.channel());
          g.writeStringField("file", f.file().getFileName().toString());
          g.writeNumberField("entries", f.entries());
          g.writeStringField("sha256", f.sha256());
          g.writeStringField("digest", f.digest());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("classes");
        for (String name : counts.classes()) {
          g.writeStartObject();
          g.writeStringField("name", name);
          g.writeNumberField("label", labels.indexOf(name));
          for (String channel : counts.channels()) {
            g.writeNumberField(channel, counts.count(name, channel));
          }
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      bytes.write('\n');
      return bytes.toByteArray();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("ChannelSplit.Result{");
      channels.forEach((name, m) -> sb.append(name).append('=').append(m.size()).append(", "));
      return sb.append(labels.size()).append(" classes}").toString();
    }
  }

  /**
   * One channel manifest written by {@link Result#write}.
   *
   * @param channel the channel
   * @param file where it was written
   * @param entries its number of entries
   * @param sha256 the SHA-256 of the file's bytes, 64 hex digits, as {@code sha256sum} prints it
   * @param digest the manifest's {@link Manifest#digest()}, independent of the file format
   */
  public record ChannelFile(String channel, Path file, int entries, String sha256, String digest) {}

  /** Configures a {@link ChannelSplit}. Not thread-safe. */
  public static final class Builder {
    private String root;
    private List<String> suffixes = List.of();
    private Function<String, String> labelFunction;
    private LabelMap labels;
    private double[] ratios = {0.8, 0.1, 0.1};
    private long seed;
    private int minPerClass = 1;
    private boolean leakageCheck = true;

    private Builder() {}

    /**
     * Sets the prefix to list, e.g. {@code s3://bucket/images/}; class folders are the first segment under
     * it. Required.
     *
     * @throws NullPointerException if {@code root} is null
     * @throws IllegalArgumentException if {@code root} does not end with {@code /}
     */
    public Builder root(String root) {
      Objects.requireNonNull(root, "root");
      if (!root.endsWith("/")) {
        throw new IllegalArgumentException("root must end with '/' (class folders sit under it), was '" + root + "'");
      }
      this.root = root;
      return this;
    }

    /**
     * Keeps only objects whose key ends with one of {@code suffixes}, ignoring case, e.g. {@code ".jpg"}.
     * Default: every object.
     *
     * @throws NullPointerException if {@code suffixes} or one of them is null
     * @throws IllegalArgumentException if a suffix is empty
     */
    public Builder suffixes(String... suffixes) {
      List<String> copy = List.of(suffixes);
      for (String s : copy) {
        if (s.isEmpty()) {
          throw new IllegalArgumentException("a suffix must not be empty, were " + copy);
        }
      }
      this.suffixes = copy;
      return this;
    }

    /**
     * Labels each object by {@code function} of its key under the root, instead of by its class folder;
     * returning {@code null} leaves the object out. Default: the class folder; objects directly under the
     * root are then an error.
     *
     * @throws NullPointerException if {@code function} is null
     */
    public Builder labelFunction(Function<String, String> function) {
      this.labelFunction = Objects.requireNonNull(function, "function");
      return this;
    }

    /**
     * Labels against this encoding, for example the label map of an earlier build, so indices stay the same;
     * a class missing from it is an error, and its classes without objects count as empty classes. Default:
     * the classes found (folder markers included), sorted.
     *
     * @throws NullPointerException if {@code labels} is null
     */
    public Builder labels(LabelMap labels) {
      this.labels = Objects.requireNonNull(labels, "labels");
      return this;
    }

    /**
     * Sets the shares of train, validation and test; they are normalised by their sum. A channel with ratio
     * {@code 0} is not made. Default 0.8, 0.1, 0.1.
     *
     * @throws IllegalArgumentException if a ratio is negative or not finite, or train is {@code 0}
     */
    public Builder ratios(double train, double validation, double test) {
      double[] r = {train, validation, test};
      for (int c = 0; c < 3; c++) {
        if (!(r[c] >= 0) || Double.isInfinite(r[c])) {
          throw new IllegalArgumentException(CHANNELS.get(c) + " ratio must be finite and 0 or more, was " + r[c]);
        }
      }
      if (train == 0) {
        throw new IllegalArgumentException("train ratio must be above 0, was " + train);
      }
      this.ratios = r;
      return this;
    }

    /** Sets the seed of the hash that assigns channels; another seed gives another split. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets how many objects every class needs in every channel (with a non-zero ratio). Default 1.
     *
     * @throws IllegalArgumentException if {@code minPerClass} is negative
     */
    public Builder minPerClass(int minPerClass) {
      if (minPerClass < 0) {
        throw new IllegalArgumentException("min per class must be 0 or more, was " + minPerClass);
      }
      this.minPerClass = minPerClass;
      return this;
    }

    /**
     * Whether an object in two channels (same key, or same ETag and size) fails the split. Default
     * {@code true}.
     */
    public Builder leakageCheck(boolean leakageCheck) {
      this.leakageCheck = leakageCheck;
      return this;
    }

    /**
     * The split.
     *
     * @throws IllegalStateException if no root was set
     */
    public ChannelSplit build() {
      if (root == null) {
        throw new IllegalStateException("root is required: the prefix to list, e.g. s3://bucket/images/");
      }
      return new ChannelSplit(this);
    }
  }
}
