package io.sluice.loader.manifest;

import io.sluice.loader.store.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable, compact list of the objects in one channel (train, validation or test) and their labels.
 *
 * <p>Every entry's URI is {@link #prefix()} followed by its {@link #key(int) key}. Keys are held as one
 * UTF-8 byte array with offsets, labels as an {@code int[]}, so ten million entries with 40-character
 * keys take well under a gigabyte.
 *
 * <p>Build one with {@link #builder(String, LabelMap)} or read one with {@link Manifests}.
 */
public final class Manifest {
  /** The label of an entry that has none. */
  public static final int NO_LABEL = -1;

  private final String prefix;
  private final byte[] keyBytes;
  private final int[] keyOffsets;
  private final int[] labels;
  private final long[] sizes;
  private final String[] etags;
  private final String[] versionIds;
  private final LabelMap labelMap;
  private volatile String digest;

  private Manifest(Builder b) {
    this.prefix = b.prefix;
    this.keyBytes = Arrays.copyOf(b.keyBytes, b.keyLength);
    this.keyOffsets = Arrays.copyOf(b.keyOffsets, b.size + 1);
    this.labels = Arrays.copyOf(b.labels, b.size);
    this.sizes = b.sizes == null ? null : Arrays.copyOf(b.sizes, b.size);
    this.etags = b.etags == null ? null : Arrays.copyOf(b.etags, b.size);
    this.versionIds = b.versionIds == null ? null : Arrays.copyOf(b.versionIds, b.size);
    this.labelMap = b.labelMap;
  }

  /**
   * A builder for a manifest whose URIs all start with {@code prefix}, labelled against a fixed encoding.
   *
   * @param prefix the common URI prefix, e.g. {@code s3://bucket/images/}; may be empty when keys are full URIs
   * @param labels the label encoding entries are labelled against
   */
  public static Builder builder(String prefix, LabelMap labels) {
    return new Builder(prefix, Objects.requireNonNull(labels, "labels"));
  }

  /**
   * A builder whose label encoding is made from the class names added: {@link LabelMap#sorted} of all of
   * them, fixed at {@link Builder#build()}. Add entries with {@link Builder#add(String, String)}.
   *
   * @param prefix the common URI prefix; may be empty when keys are full URIs
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

  /** Entry {@code i}'s key, relative to {@link #prefix()}. */
  public String key(int i) {
    Objects.checkIndex(i, labels.length);
    return new String(keyBytes, keyOffsets[i], keyOffsets[i + 1] - keyOffsets[i], StandardCharsets.UTF_8);
  }

  /** Entry {@code i}'s full URI. */
  public String uri(int i) {
    return prefix + key(i);
  }

  /** Entry {@code i}'s label index, or {@link #NO_LABEL}. */
  public int label(int i) {
    Objects.checkIndex(i, labels.length);
    return labels[i];
  }

  /** Entry {@code i}'s expected size in bytes, or {@code -1} if the manifest does not record it. */
  public long objectSize(int i) {
    Objects.checkIndex(i, labels.length);
    return sizes == null ? -1 : sizes[i];
  }

  /** A reference to entry {@code i}'s object, carrying its recorded size, ETag and version id. */
  public ObjectRef ref(int i) {
    Objects.checkIndex(i, labels.length);
    return new ObjectRef(uri(i), sizes == null ? -1 : sizes[i], etags == null ? null : etags[i],
        versionIds == null ? null : versionIds[i]);
  }

  /** The label encoding. */
  public LabelMap labels() {
    return labelMap;
  }

  /**
   * The SHA-256 of the manifest's content (prefix, keys, labels, label names), as 64 hex digits.
   *
   * <p>Two manifests with the same digest list the same objects with the same labels in the same order.
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
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
    sha.update(prefix.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    for (String name : labelMap.names()) {
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    byte[] four = new byte[4];
    for (int i = 0; i < labels.length; i++) {
      sha.update(keyBytes, keyOffsets[i], keyOffsets[i + 1] - keyOffsets[i]);
      sha.update((byte) 0);
      int l = labels[i];
      four[0] = (byte) (l >>> 24);
      four[1] = (byte) (l >>> 16);
      four[2] = (byte) (l >>> 8);
      four[3] = (byte) l;
      sha.update(four);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public String toString() {
    return "Manifest{" + size() + " entries, prefix=" + prefix + ", " + labelMap.size() + " classes}";
  }

  /** Accumulates entries; not thread-safe. */
  public static final class Builder {
    private final String prefix;
    private byte[] keyBytes = new byte[1024];
    private int keyLength;
    private int[] keyOffsets = new int[65];
    private int[] labels = new int[64];
    private long[] sizes;
    private String[] etags;
    private String[] versionIds;
    private int size;

    private LabelMap labelMap;
    private final java.util.Map<String, Integer> provisional;

    private Builder(String prefix, LabelMap labelMap) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      this.labelMap = labelMap;
      this.provisional = labelMap == null ? new java.util.HashMap<>() : null;
    }

    /** Adds an entry labelled with class {@code className}, or unlabelled when it is {@code null}. */
    public Builder add(String key, String className) {
      return add(key, className, -1, null, null);
    }

    /**
     * Adds an entry labelled by class name.
     *
     * @throws IllegalArgumentException if the builder has a fixed label map that lacks {@code className}
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

    /** Adds an entry with a label and nothing else recorded. */
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
     * @throws IllegalArgumentException if the key is empty or the label out of range
     */
    public Builder add(String key, int label, long objectSize, String etag, String versionId) {
      if (labelMap == null) {
        throw new IllegalStateException("this builder makes its label map from class names: add(key, className)");
      }
      if (label < NO_LABEL || label >= labelMap.size()) {
        throw new IllegalArgumentException("label " + label + " of key '" + key + "' is out of range [0, "
            + labelMap.size() + ")");
      }
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
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      if (keyLength + k.length > keyBytes.length) {
        long want = Math.max((long) keyBytes.length * 2, (long) keyLength + k.length);
        if (want > Integer.MAX_VALUE - 16) {
          want = Integer.MAX_VALUE - 16;
          if (keyLength + k.length > want) {
            throw new IllegalStateException("manifest keys exceed 2 GB of UTF-8");
          }
        }
        keyBytes = Arrays.copyOf(keyBytes, (int) want);
      }
      if (this.size + 1 >= labels.length) {
        grow();
      }
      System.arraycopy(k, 0, keyBytes, keyLength, k.length);
      keyLength += k.length;
      labels[this.size] = label;
      if (objectSize >= 0 && sizes == null) {
        sizes = new long[labels.length];
        Arrays.fill(sizes, 0, this.size, -1);
      }
      if (sizes != null) {
        sizes[this.size] = objectSize;
      }
      if (etag != null && etags == null) {
        etags = new String[labels.length];
      }
      if (etags != null) {
        etags[this.size] = etag;
      }
      if (versionId != null && versionIds == null) {
        versionIds = new String[labels.length];
      }
      if (versionIds != null) {
        versionIds[this.size] = versionId;
      }
      this.size++;
      keyOffsets[this.size] = keyLength;
      return this;
    }

    private void grow() {
      int n = labels.length * 2;
      labels = Arrays.copyOf(labels, n);
      keyOffsets = Arrays.copyOf(keyOffsets, n + 1);
      if (sizes != null) {
        sizes = Arrays.copyOf(sizes, n);
      }
      if (etags != null) {
        etags = Arrays.copyOf(etags, n);
      }
      if (versionIds != null) {
        versionIds = Arrays.copyOf(versionIds, n);
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
        for (int i = 0; i < size; i++) {
          if (labels[i] != NO_LABEL) {
            labels[i] = remap[labels[i]];
          }
        }
        labelMap = sorted;
        provisional.clear();
      }
      return new Manifest(this);
    }
  }
}
