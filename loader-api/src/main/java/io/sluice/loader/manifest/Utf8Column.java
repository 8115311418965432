package io.sluice.loader.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * An immutable column of strings held as one UTF-8 byte array and an offsets array, with no object per
 * entry; entries may be {@code null}.
 *
 * <p>Ten million 40-byte strings take about 440 MB here, against well over a gigabyte as {@code String}s.
 */
final class Utf8Column {
  private static final int PAGE = 1 << 20;

  private final byte[] bytes;
  private final int[] offsets;
  private final BitSet nulls; // null when no entry is null

  private Utf8Column(byte[] bytes, int[] offsets, BitSet nulls) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.nulls = nulls;
  }

  /** The number of entries. */
  int size() {
    return offsets.length - 1;
  }

  /** Entry {@code i}, or {@code null}. */
  String get(int i) {
    if (nulls != null && nulls.get(i)) {
      return null;
    }
    return new String(bytes, offsets[i], offsets[i + 1] - offsets[i], StandardCharsets.UTF_8);
  }

  boolean isNull(int i) {
    return nulls != null && nulls.get(i);
  }

  /** Entry {@code i}'s length in UTF-8 bytes ({@code 0} for {@code null}). */
  int byteLength(int i) {
    return offsets[i + 1] - offsets[i];
  }

  /** The UTF-8 byte at {@code index} within entry {@code i}. */
  byte byteAt(int i, int index) {
    return bytes[offsets[i] + index];
  }

  /**
   * A polynomial hash of entry {@code i}'s bytes continuing from {@code start}, so that
   * {@code hash(i, hashOf(prefix))} is the hash of the prefix followed by the entry.
   */
  int hash(int i, int start) {
    int h = start;
    for (int p = offsets[i], end = offsets[i + 1]; p < end; p++) {
      h = 31 * h + bytes[p];
    }
    return h;
  }

  /** The hash {@link #hash(int, int)} continues from, of {@code prefix}'s UTF-8 bytes. */
  static int hashOf(byte[] prefix) {
    int h = 1;
    for (byte b : prefix) {
      h = 31 * h + b;
    }
    return h;
  }

  /** Whether entry {@code i} equals entry {@code j} of {@code other}, comparing bytes. */
  boolean equalsEntry(int i, Utf8Column other, int j) {
    if (isNull(i) || other.isNull(j)) {
      return isNull(i) && other.isNull(j);
    }
    return Arrays.equals(bytes, offsets[i], offsets[i + 1], other.bytes, other.offsets[j], other.offsets[j + 1]);
  }

  /** Whether entry {@code i} starts with {@code prefix}. */
  boolean startsWith(int i, byte[] prefix) {
    int start = offsets[i];
    return offsets[i + 1] - start >= prefix.length
        && Arrays.equals(bytes, start, start + prefix.length, prefix, 0, prefix.length);
  }

  /** Feeds entry {@code i}'s bytes to {@code sha}. */
  void update(MessageDigest sha, int i) {
    sha.update(bytes, offsets[i], offsets[i + 1] - offsets[i]);
  }

  /**
   * The length in bytes of the longest prefix every entry shares, cut back to just after a {@code '/'} (so
   * it names a directory) and shorter than every entry; {@code 0} for an empty column. Entries must not be
   * {@code null}.
   */
  int commonDirectoryLength() {
    int n = size();
    if (n == 0) {
      return 0;
    }
    int common = byteLength(0);
    int shortest = common;
    int first = offsets[0];
    for (int i = 1; i < n; i++) {
      int start = offsets[i];
      shortest = Math.min(shortest, offsets[i + 1] - start);
      int limit = Math.min(common, offsets[i + 1] - start);
      int k = Arrays.mismatch(bytes, first, first + limit, bytes, start, start + limit);
      common = k < 0 ? limit : k;
    }
    // Cut back to a '/', and short of the shortest entry so that no entry is left empty.
    if (common >= shortest) {
      common = shortest - 1;
    }
    while (common > 0 && bytes[first + common - 1] != '/') {
      common--;
    }
    return common;
  }

  /** A column with the first {@code length} bytes of every entry removed; they must all be at least that long. */
  Utf8Column dropPrefix(int length) {
    if (length == 0) {
      return this;
    }
    int n = size();
    byte[] out = new byte[bytes.length - n * length];
    int[] outOffsets = new int[n + 1];
    int at = 0;
    for (int i = 0; i < n; i++) {
      int start = offsets[i] + length;
      int len = offsets[i + 1] - start;
      System.arraycopy(bytes, start, out, at, len);
      at += len;
      outOffsets[i + 1] = at;
    }
    return new Utf8Column(out, outOffsets, nulls);
  }

  /** Appends strings in pages, so growing never copies what is already held; not thread-safe. */
  static final class Builder {
    private final List<byte[]> pages = new ArrayList<>();
    private byte[] page = new byte[4096];
    private int pageUsed;
    private long total;
    private int[] offsets = new int[64];
    private int size;
    private BitSet nulls;

    int size() {
      return size;
    }

    /** Appends {@code value}, which may be {@code null}. */
    void add(String value) {
      if (value == null) {
        addNull();
        return;
      }
      add(value.getBytes(StandardCharsets.UTF_8));
    }

    void add(byte[] utf8) {
      if (total + utf8.length > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("a manifest column exceeds 2 GB of UTF-8 at entry " + size);
      }
      int from = 0;
      while (from < utf8.length) {
        if (pageUsed == page.length) {
          nextPage();
        }
        int n = Math.min(utf8.length - from, page.length - pageUsed);
        System.arraycopy(utf8, from, page, pageUsed, n);
        pageUsed += n;
        from += n;
      }
      total += utf8.length;
      append();
    }

    void addNull() {
      if (nulls == null) {
        nulls = new BitSet();
      }
      nulls.set(size);
      append();
    }

    /** Appends {@code count} {@code null}s. */
    void addNulls(int count) {
      for (int i = 0; i < count; i++) {
        addNull();
      }
    }

    private void nextPage() {
      pages.add(page);
      // Small columns stay small; large ones grow in 1 MB pages.
      page = new byte[(int) Math.min(PAGE, Math.max(4096, total))];
      pageUsed = 0;
    }

    private void append() {
      if (size + 1 >= offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      size++;
      offsets[size] = (int) total;
    }

    /** The column; the builder must not be used afterwards. */
    Utf8Column build() {
      byte[] all = new byte[(int) total];
      int at = 0;
      for (int p = 0; p < pages.size(); p++) {
        byte[] full = pages.get(p);
        System.arraycopy(full, 0, all, at, full.length);
        at += full.length;
        pages.set(p, null); // let the collector take each page as soon as it is copied
      }
      System.arraycopy(page, 0, all, at, pageUsed);
      pages.clear();
      page = null;
      int[] exact = offsets.length == size + 1 ? offsets : Arrays.copyOf(offsets, size + 1);
      offsets = null;
      return new Utf8Column(all, exact, nulls);
    }
  }

  @Override
  public String toString() {
    return "Utf8Column{" + size() + " entries, " + bytes.length + " bytes}";
  }
}
