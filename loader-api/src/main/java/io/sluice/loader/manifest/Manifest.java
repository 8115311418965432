package io.sluice.loader.manifest;

import io.sluice.loader.store.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, compact list of the objects in one channel (train, validation or test) and their labels.
 *
 * <p>Every entry's URI is {@link #prefix()} followed by its {@link #key(int) key}. Keys are held as one
 * UTF-8 byte array with offsets, labels as an {@code int[]}, and the optional size, ETag and version id of
 * each object in the same way, so ten million entries with 40-character keys take about half a gigabyte.
 *
 * <p><b>Pinning.</b> An entry may record its object's size, ETag and version id (a split from a listing, as
 * {@code sluice manifest build} makes, records size and ETag; CSV and augmented manifests may carry all three). While the
 * manifest is {@link #pinned()}, {@link #ref(int)} passes them on, so a store that supports it reads exactly
 * that version and fails when the object changed or vanished. {@link #unpinned()} gives a view whose
 * references carry the URI alone, for data that is allowed to change.
 *
 * <p>A manifest knows its {@link #channel()}: read from a file, the channel its lines name or else the one its
 * file name gives ({@link Manifests#channelOf}); built in code, {@link Builder#channel}'s, default
 * {@code train}.
 *
 * <p>Build one with {@link #builder(String, LabelMap)} or read one with {@link Manifests#read}.
 */
public final class Manifest {
  /** The label of an entry that has none. */
  public static final int NO_LABEL = -1;

  /** The channel of a manifest that names none: {@code train}. */
  public static final String DEFAULT_CHANNEL = "train";

  private final String prefix;
  private final Utf8Column keys;
  private final int[] labels;
  private final long[] sizes;
  private final Utf8Column etags;
  private final Utf8Column versionIds;
  private final LabelMap labelMap;
  private final boolean pinned;
  private final String channel;
  private volatile String digest;

  Manifest(String prefix, Utf8Column keys, int[] labels, long[] sizes, Utf8Column etags, Utf8Column versionIds,
      LabelMap labelMap, boolean pinned, String channel) {
    this.prefix = prefix;
    this.keys = keys;
    this.labels = labels;
    this.sizes = sizes;
    this.etags = etags;
    this.versionIds = versionIds;
    this.labelMap = labelMap;
    this.pinned = pinned;
    this.channel = channel;
  }

  /**
   * A builder for a manifest whose URIs all start with {@code prefix}, labelled against a fixed encoding.
   *
   * @param prefix the common URI prefix, e.g. {@code s3://bucket/images/}; may be empty when keys are full URIs
   * @param labels the label encoding entries are labelled against
   * @throws NullPointerException if either argument is null
   */
  public static Builder builder(String prefix, LabelMap labels) {
    return new Builder(prefix, Objects.requireNonNull(labels, "labels"));
  }

  /**
   * A builder whose label encoding is made from the class names added: {@link LabelMap#sorted} of all of
   * them, fixed at {@link Builder#build()}. Add entries with {@link Builder#add(String, String)}.
   *
   * @param prefix the common URI prefix; may be empty when keys are full URIs
   * @throws NullPointerException if {@code prefix} is null
   */
  public static Builder builder(String prefix) {
    return new Builder(prefix, null);
  }

  /** The number of entries. */
  public int size() {
    return labels.length;
  }

  /** The URI prefix shared by every entry. */
  public String prefix() {
    return prefix;
  }

  /**
   * Entry {@code i}'s key, relative to {@link #prefix()}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public String key(int i) {
    Objects.checkIndex(i, labels.length);
    return keys.get(i);
  }

  /**
   * Entry {@code i}'s full URI.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public String uri(int i) {
    return prefix + key(i);
  }

  /**
   * Entry {@code i}'s label index, or {@link #NO_LABEL}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public int label(int i) {
    Objects.checkIndex(i, labels.length);
    return labels[i];
  }

  /**
   * Entry {@code i}'s recorded size in bytes, or {@code -1} if the manifest does not record it.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public long objectSize(int i) {
    Objects.checkIndex(i, labels.length);
    return sizes == null ? -1 : sizes[i];
  }

  /**
   * Entry {@code i}'s recorded ETag (without quotes), or {@code null}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public String etag(int i) {
    Objects.checkIndex(i, labels.length);
    return etags == null ? null : etags.get(i);
  }

  /**
   * Entry {@code i}'s recorded version id, or {@code null}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public String versionId(int i) {
    Objects.checkIndex(i, labels.length);
    return versionIds == null ? null : versionIds.get(i);
  }

  /**
   * A reference to entry {@code i}'s object: while the manifest is {@link #pinned()} it carries the recorded
   * size, ETag and version id, otherwise the URI alone.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
   */
  public ObjectRef ref(int i) {
    Objects.checkIndex(i, labels.length);
    if (!pinned) {
      return ObjectRef.of(uri(i));
    }
    return new ObjectRef(uri(i), sizes == null ? -1 : sizes[i], etag(i), versionId(i));
  }

  /**
   * Whether {@link #ref(int)} passes the recorded size, ETag and version id on to the store: true when the
   * manifest records any of them and is not an {@link #unpinned()} view.
   */
  public boolean pinned() {
    return pinned && (sizes != null || etags != null || versionIds != null);
  }

  /**
   * This manifest with pinning off: the same entries, labels, recorded metadata and {@link #digest()}, but
   * {@link #ref(int)} carries the URI alone, so the store reads whatever the object holds now. Shares this
   * manifest's memory.
   */
  public Manifest unpinned() {
    if (!pinned) {
      return this;
    }
    Manifest view = new Manifest(prefix, keys, labels, sizes, etags, versionIds, labelMap, false, channel);
    view.digest = digest;
    return view;
  }

  /**
   * The channel this manifest lists, e.g. {@code train}, {@code validation} or {@code test}; see the class
   * description. It is not part of the {@link #digest()}.
   */
  public String channel() {
    return channel;
  }

  /**
   * This manifest as channel {@code channel}: the same entries, labels, pinning and {@link #digest()}, sharing
   * this manifest's memory.
   *
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalArgumentException if {@code channel} is empty
   */
  public Manifest withChannel(String channel) {
    requireChannel(channel);
    if (channel.equals(this.channel)) {
      return this;
    }
    Manifest view = new Manifest(prefix, keys, labels, sizes, etags, versionIds, labelMap, pinned, channel);
    view.digest = digest;
    return view;
  }

  private static String requireChannel(String channel) {
    Objects.requireNonNull(channel, "channel");
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("channel must not be empty");
    }
    return channel;
  }

  /** Whether the manifest records entries' sizes. */
  public boolean recordsSizes() {
    return sizes != null;
  }

  /** Whether the manifest records entries' ETags. */
  public boolean recordsEtags() {
    return etags != null;
  }

  /** Whether the manifest records entries' version ids. */
  public boolean recordsVersionIds() {
    return versionIds != null;
  }

  /** The label encoding. */
  public LabelMap labels() {
    return labelMap;
  }

  /**
   * The SHA-256 of the manifest's content, as 64 hex digits: the label names, then each entry's full URI,
   * label and whatever size, ETag and version id it records.
   *
   * <p>Two manifests with the same digest list the same objects, pinned alike, with the same labels in the
   * same order, whatever their file format and however their URIs are split into prefix and key.
   */
  public String digest() {
    String d = digest;
    if (d == null) {
      d = computeDigest();
      digest = d;
    }
    return d;
  }

  private String computeDigest() {
    MessageDigest sha = sha256();
    // 0xFF and 0xFE never occur in UTF-8, so they separate strings unambiguously.
    for (String name : labelMap.names()) {
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0xFF);
    }
    sha.update((byte) 0xFE);
    sha.update((byte) ((sizes != null ? 1 : 0) | (etags != null ? 2 : 0) | (versionIds != null ? 4 : 0)));
    byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] eight = new byte[8];
    for (int i = 0; i < labels.length; i++) {
      sha.update(prefixBytes);
      keys.update(sha, i);
      sha.update((byte) 0xFF);
      putLong(eight, labels[i]);
      sha.update(eight, 4, 4);
      if (sizes != null) {
        putLong(eight, sizes[i]);
        sha.update(eight);
      }
      updateNullable(sha, etags, i);
      updateNullable(sha, versionIds, i);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void updateNullable(MessageDigest sha, Utf8Column column, int i) {
    if (column == null) {
      return;
    }
    if (column.isNull(i)) {
      sha.update((byte) 0xFE);
    } else {
      column.update(sha, i);
      sha.update((byte) 0xFF);
    }
  }

  private static void putLong(byte[] eight, long v) {
    for (int b = 7; b >= 0; b--) {
      eight[b] = (byte) v;
      v >>>= 8;
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  /** The keys column, for readers and checks in this package. */
  Utf8Column keyColumn() {
    return keys;
  }

  /** The ETag column, or {@code null}. */
  Utf8Column etagColumn() {
    return etags;
  }

  /** This manifest with {@code length} bytes moved from the front of every key to the end of the prefix. */
  Manifest rebased(int length) {
    if (length == 0) {
      return this;
    }
    String moved = keys.size() == 0 ? "" : new String(Arrays.copyOf(firstKeyBytes(), length), StandardCharsets.UTF_8);
    return new Manifest(prefix + moved, keys.dropPrefix(length), labels, sizes, etags, versionIds, labelMap, pinned,
        channel);
  }

  private byte[] firstKeyBytes() {
    return keys.get(0).getBytes(StandardCharsets.UTF_8);
  }

  /** This manifest with {@code head} in front of its prefix, so every URI starts with it. */
  Manifest withPrefixHead(String head) {
    return head.isEmpty() ? this
        : new Manifest(head + prefix, keys, labels, sizes, etags, versionIds, labelMap, pinned, channel);
  }

  /** This manifest with other labels (one per entry) against {@code map}. */
  Manifest relabelled(int[] newLabels, LabelMap map) {
    return new Manifest(prefix, keys, newLabels, sizes, etags, versionIds, map, pinned, channel);
  }

  @Override
  public String toString() {
    return "Manifest{" + channel + ", " + size() + " entries, prefix=" + prefix + ", " + labelMap.size() + " classes"
        + (pinned() ? ", pinned" : "") + "}";
  }

  /** Accumulates entries; not thread-safe. */
  public static final class Builder {
    private final String prefix;
    private Utf8Column.Builder keys = new Utf8Column.Builder();
    private int[] labels = new int[64];
    private long[] sizes;
    private Utf8Column.Builder etags;
    private Utf8Column.Builder versionIds;
    private int size;

    private LabelMap labelMap;
    private final Map<String, Integer> provisional;
    private String channel = DEFAULT_CHANNEL;

    private Builder(String prefix, LabelMap labelMap) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      this.labelMap = labelMap;
      this.provisional = labelMap == null ? new HashMap<>() : null;
    }

    /** A builder that takes labels as they come, for readers that fix the encoding at the end. */
    static Builder unchecked(String prefix) {
      return new Builder(prefix, LabelMap.ordered(java.util.List.of()));
    }

    /**
     * Adds an entry labelled with class {@code className}, or unlabelled when it is {@code null}.
     *
     * @throws IllegalArgumentException if the key is empty, or the builder has a fixed label map that lacks
     *     {@code className}
     */
    public Builder add(String key, String className) {
      return add(key, className, -1, null, null);
    }

    /**
     * Adds an entry labelled by class name, with what is known of its object.
     *
     * @param objectSize the object's size in bytes, or {@code -1} if unknown
     * @param etag the ETag without quotes, or {@code null}
     * @param versionId the version id, or {@code null}
     * @throws IllegalArgumentException if the key is empty, the size below {@code -1}, or the builder has a
     *     fixed label map that lacks {@code className}
     */
    public Builder add(String key, String className, long objectSize, String etag, String versionId) {
      int label = NO_LABEL;
      if (className != null) {
        if (provisional != null) {
          label = provisional.computeIfAbsent(className, c -> provisional.size());
          return addEntry(key, label, objectSize, etag, versionId);
        }
        label = labelMap.indexOf(className);
        if (label < 0) {
          throw new IllegalArgumentException("class '" + className + "' of key '" + key
              + "' is not in the label map " + labelMap.names());
        }
      }
      return add(key, label, objectSize, etag, versionId);
    }

    /**
     * Adds an entry with a label and nothing else recorded.
     *
     * @throws IllegalArgumentException if the key is empty or the label out of range
     */
    public Builder add(String key, int label) {
      return add(key, label, -1, null, null);
    }

    /**
     * Adds an entry.
     *
     * @param key the key relative to the prefix; must not be empty
     * @param label a label index in {@code [0, labels.size())}, or {@link #NO_LABEL}
     * @param objectSize the object's size in bytes, or {@code -1} if unknown
     * @param etag the ETag without quotes, or {@code null}
     * @param versionId the version id, or {@code null}
     * @throws IllegalArgumentException if the key is empty, the label out of range or the size below -1
     * @throws IllegalStateException if this builder makes its label map from class names
     */
    public Builder add(String key, int label, long objectSize, String etag, String versionId) {
      if (provisional != null) {
        throw new IllegalStateException("this builder makes its label map from class names: add(key, className)");
      }
      if (label < NO_LABEL || label >= labelMap.size()) {
        throw new IllegalArgumentException("label " + label + " of key '" + key + "' is out of range [0, "
            + labelMap.size() + ")");
      }
      return addEntry(key, label, objectSize, etag, versionId);
    }

    /** Adds an entry without checking its label, which {@link #build(LabelMap, int[])} maps later. */
    Builder addUnchecked(String key, int label, long objectSize, String etag, String versionId) {
      return addEntry(key, label, objectSize, etag, versionId);
    }

    private Builder addEntry(String key, int label, long objectSize, String etag, String versionId) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("key must not be empty (entry " + this.size + ")");
      }
      if (objectSize < -1) {
        throw new IllegalArgumentException("size " + objectSize + " of key '" + key + "' must be -1 or >= 0");
      }
      if (size == Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("a manifest holds at most " + size + " entries");
      }
      keys.add(key);
      if (size == labels.length) {
        labels = Arrays.copyOf(labels, (int) Math.min(Integer.MAX_VALUE - 16, labels.length * 2L));
        if (sizes != null) {
          sizes = Arrays.copyOf(sizes, labels.length);
        }
      }
      labels[size] = label;
      if (objectSize >= 0 && sizes == null) {
        sizes = new long[labels.length];
        Arrays.fill(sizes, 0, size, -1);
      }
      if (sizes != null) {
        sizes[size] = objectSize;
      }
      if (etag != null && etags == null) {
        etags = new Utf8Column.Builder(true);
        etags.addNulls(size);
      }
      if (etags != null) {
        etags.add(etag);
      }
      if (versionId != null && versionIds == null) {
        versionIds = new Utf8Column.Builder();
        versionIds.addNulls(size);
      }
      if (versionIds != null) {
        versionIds.add(versionId);
      }
      size++;
      return this;
    }

    /**
     * Sets the channel the manifest lists. Default {@link #DEFAULT_CHANNEL} ({@code train}).
     *
     * @throws NullPointerException if {@code channel} is null
     * @throws IllegalArgumentException if {@code channel} is empty
     */
    public Builder channel(String channel) {
      this.channel = requireChannel(channel);
      return this;
    }

    /** Puts {@code head} in front of every key added so far (they were relative to it). */
    void prependToKeys(String head) {
      byte[] h = head.getBytes(StandardCharsets.UTF_8);
      Utf8Column old = keys.build();
      keys = new Utf8Column.Builder();
      for (int i = 0; i < old.size(); i++) {
        byte[] k = old.bytes(i, 0);
        byte[] joined = Arrays.copyOf(h, h.length + k.length);
        System.arraycopy(k, 0, joined, h.length, k.length);
        keys.add(joined, joined.length);
      }
    }

    /** The number of entries added so far. */
    public int size() {
      return size;
    }

    /** The immutable manifest. The builder must not be used afterwards. */
    public Manifest build() {
      if (provisional != null) {
        LabelMap sorted = LabelMap.sorted(provisional.keySet());
        int[] remap = new int[provisional.size()];
        provisional.forEach((name, id) -> remap[id] = sorted.indexOf(name));
        provisional.clear();
        return build(sorted, remap);
      }
      return build(labelMap, null);
    }

    /**
     * The manifest labelled against {@code map}, each label {@code l >= 0} replaced by {@code remap[l]} when
     * {@code remap} is given.
     */
    Manifest build(LabelMap map, int[] remap) {
      int[] exact = Arrays.copyOf(labels, size);
      labels = null;
      if (remap != null) {
        for (int i = 0; i < size; i++) {
          if (exact[i] != NO_LABEL) {
            exact[i] = remap[exact[i]];
          }
        }
      }
      long[] exactSizes = sizes == null ? null : Arrays.copyOf(sizes, size);
      sizes = null;
      return new Manifest(prefix, keys.build(), exact, exactSizes, etags == null ? null : etags.build(),
          versionIds == null ? null : versionIds.build(), map, true, channel);
    }
  }
}
