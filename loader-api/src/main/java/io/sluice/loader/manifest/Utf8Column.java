package io.sluice.loader.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;

/**
 * An immutable column of strings held as UTF-8 bytes with an {@code int} offset per entry, and no object
 * per entry; entries may be {@code null}.
 *
 * <p>The bytes are one contiguous address space cut into 256 KB pages, so that a column is built and
 * {@linkplain #dropPrefix rebased} without ever holding two copies of it, and without one huge array.
 * Ten million 40-byte strings take about 440 MB, against well over a gigabyte as {@code String}s. An
 * entry may span two pages; the accessors take a fast path when it does not.
 */
final class Utf8Column {
  /**
   * 256 KB pages: below half of G1's smallest region (1 MB), so pages are ordinary objects rather than
   * "humongous" ones, which would each take a whole region pair and waste nearly half of it.
   */
  static final int SHIFT = 18;
  static final int PAGE = 1 << SHIFT;
  private static final int MASK = PAGE - 1;

  private final byte[][] pages; // every page PAGE bytes long but the last
  private final int[] offsets; // n + 1 positions in the address space of the pages
  private final BitSet nulls; // null when no entry is null
  private final BitSet packed; // entries stored as 16 bytes of binary MD5 (+ suffix); null when none

  private Utf8Column(byte[][] pages, int[] offsets, BitSet nulls, BitSet packed) {
    this.pages = pages;
    this.offsets = offsets;
    this.nulls = nulls;
    this.packed = packed;
  }

  private boolean isPacked(int i) {
    return packed != null && packed.get(i);
  }

  /** The number of entries. */
  int size() {
    return offsets.length - 1;
  }

  boolean isNull(int i) {
    return nulls != null && nulls.get(i);
  }

  /** Entry {@code i}'s length in stored bytes: UTF-8, or fewer for a packed ETag ({@code 0} for {@code null}). */
  int byteLength(int i) {
    return offsets[i + 1] - offsets[i];
  }

  /** Entry {@code i}, or {@code null}. */
  String get(int i) {
    if (isNull(i)) {
      return null;
    }
    if (isPacked(i)) {
      byte[] stored = bytes(i, 0);
      return HexFormat.of().formatHex(stored, 0, 16) + new String(stored, 16, stored.length - 16,
          StandardCharsets.US_ASCII);
    }
    int start = offsets[i];
    int length = offsets[i + 1] - start;
    int at = start & MASK;
    if (at + length <= PAGE) {
      return new String(pages[start >>> SHIFT], at, length, StandardCharsets.UTF_8);
    }
    return new String(bytes(i, 0), StandardCharsets.UTF_8);
  }

  /** A copy of entry {@code i}'s bytes from byte {@code from} on. */
  byte[] bytes(int i, int from) {
    byte[] out = new byte[byteLength(i) - from];
    copy(offsets[i] + from, out, 0, out.length);
    return out;
  }

  /** Copies {@code length} bytes from position {@code position} of the address space into {@code out}. */
  private void copy(int position, byte[] out, int outAt, int length) {
    while (length > 0) {
      int at = position & MASK;
      int n = Math.min(length, PAGE - at);
      System.arraycopy(pages[position >>> SHIFT], at, out, outAt, n);
      position += n;
      outAt += n;
      length -= n;
    }
  }

  /**
   * A polynomial hash of entry {@code i}'s bytes continuing from {@code start}, so that
   * {@code hash(i, hashOf(prefix))} is the hash of the prefix followed by the entry. Equal entries hash
   * alike (a packed ETag by its stored bytes).
   */
  int hash(int i, int start) {
    int h = start;
    int position = offsets[i];
    int end = offsets[i + 1];
    while (position < end) {
      byte[] page = pages[position >>> SHIFT];
      int at = position & MASK;
      int stop = Math.min(PAGE, at + (end - position));
      for (int p = at; p < stop; p++) {
        h = 31 * h + page[p];
      }
      position += stop - at;
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
    int length = byteLength(i);
    if (length != other.byteLength(j) || isPacked(i) != other.isPacked(j)) {
      return false;
    }
    int a = offsets[i];
    int b = other.offsets[j];
    if ((a & MASK) + length <= PAGE && (b & MASK) + length <= PAGE) {
      return Arrays.equals(pages[a >>> SHIFT], a & MASK, (a & MASK) + length,
          other.pages[b >>> SHIFT], b & MASK, (b & MASK) + length);
    }
    return Arrays.equals(bytes(i, 0), other.bytes(j, 0));
  }

  /** Feeds entry {@code i}'s UTF-8 bytes to {@code sha}. */
  void update(MessageDigest sha, int i) {
    if (isPacked(i)) {
      sha.update(get(i).getBytes(StandardCharsets.UTF_8));
      return;
    }
    int position = offsets[i];
    int end = offsets[i + 1];
    while (position < end) {
      int at = position & MASK;
      int n = Math.min(end - position, PAGE - at);
      sha.update(pages[position >>> SHIFT], at, n);
      position += n;
    }
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
    byte[] first = bytes(0, 0);
    int common = first.length;
    int shortest = common;
    for (int i = 1; i < n; i++) {
      int start = offsets[i];
      int length = offsets[i + 1] - start;
      shortest = Math.min(shortest, length);
      int limit = Math.min(common, length);
      int k;
      if ((start & MASK) + limit <= PAGE) {
        k = Arrays.mismatch(first, 0, limit, pages[start >>> SHIFT], start & MASK, (start & MASK) + limit);
      } else {
        k = Arrays.mismatch(first, 0, limit, bytes(i, 0), 0, limit);
      }
      common = k < 0 ? limit : k;
    }
    // Cut back to a '/', and short of the shortest entry so that no entry is left empty.
    if (common >= shortest) {
      common = shortest - 1;
    }
    while (common > 0 && first[common - 1] != '/') {
      common--;
    }
    return common;
  }

  /**
   * A column with the first {@code length} bytes of every entry removed; they must all be longer. This
   * column's pages are released as they are copied, so at no time are both held whole: do not use this
   * column afterwards. For columns without packed entries.
   */
  Utf8Column dropPrefix(int length) {
    if (length == 0) {
      return this;
    }
    if (packed != null) {
      throw new IllegalStateException("cannot drop a prefix of packed ETags");
    }
    Builder out = new Builder();
    byte[] buffer = new byte[256];
    int released = 0;
    for (int i = 0; i < size(); i++) {
      if (isNull(i)) {
        out.addNull();
      } else {
        int n = byteLength(i) - length;
        if (n > buffer.length) {
          buffer = new byte[Math.max(n, buffer.length * 2)];
        }
        copy(offsets[i] + length, buffer, 0, n);
        out.add(buffer, n);
      }
      for (int keepFrom = offsets[i + 1] >>> SHIFT; released < keepFrom; released++) {
        pages[released] = null;
      }
    }
    return out.build();
  }

  /** Appends strings page by page, so growing never copies what is already held; not thread-safe. */
  static final class Builder {
    private final List<byte[]> full = new ArrayList<>();
    private byte[] page = new byte[256]; // grows by doubling to PAGE while it is the first page
    private int pageUsed;
    private long total;
    private int[] offsets = new int[64];
    private int size;
    private BitSet nulls;
    private final boolean packEtags;
    private BitSet packed;

    /** A builder of plain strings. */
    Builder() {
      this(false);
    }

    /**
     * A builder that stores S3-style ETags, 32 lower-case hex digits (an MD5) optionally followed by
     * {@code -<parts>}, in 16 bytes plus the suffix instead of 32 or more.
     */
    Builder(boolean packEtags) {
      this.packEtags = packEtags;
    }

    int size() {
      return size;
    }

    /** Appends {@code value}, which may be {@code null}. */
    void add(String value) {
      if (value == null) {
        addNull();
        return;
      }
      if (packEtags && isMd5Etag(value)) {
        byte[] stored = new byte[16 + value.length() - 32];
        for (int b = 0; b < 16; b++) {
          stored[b] = (byte) ((Character.digit(value.charAt(2 * b), 16) << 4) | Character.digit(value.charAt(2 * b + 1), 16));
        }
        for (int c = 32; c < value.length(); c++) {
          stored[16 + c - 32] = (byte) value.charAt(c);
        }
        if (packed == null) {
          packed = new BitSet();
        }
        packed.set(size);
        add(stored, stored.length);
        return;
      }
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      add(utf8, utf8.length);
    }

    /** Whether {@code value} is 32 lower-case hex digits, then nothing or {@code -} and decimal digits. */
    static boolean isMd5Etag(String value) {
      int n = value.length();
      if (n < 32 || n == 33) {
        return false;
      }
      for (int c = 0; c < 32; c++) {
        char ch = value.charAt(c);
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
          return false;
        }
      }
      if (n == 32) {
        return true;
      }
      if (value.charAt(32) != '-') {
        return false;
      }
      for (int c = 33; c < n; c++) {
        if (value.charAt(c) < '0' || value.charAt(c) > '9') {
          return false;
        }
      }
      return true;
    }

    /** Appends the first {@code length} bytes of {@code utf8}. */
    void add(byte[] utf8, int length) {
      if (total + length > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("a manifest column exceeds 2 GB of UTF-8 at entry " + size);
      }
      int from = 0;
      while (from < length) {
        if (pageUsed == page.length) {
          if (full.isEmpty() && page.length < PAGE) {
            page = Arrays.copyOf(page, Math.min(PAGE, page.length * 2));
          } else {
            full.add(page);
            page = new byte[PAGE];
            pageUsed = 0;
          }
        }
        int n = Math.min(length - from, page.length - pageUsed);
        System.arraycopy(utf8, from, page, pageUsed, n);
        pageUsed += n;
        from += n;
      }
      total += length;
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

    private void append() {
      if (size + 1 >= offsets.length) {
        offsets = Arrays.copyOf(offsets, (int) Math.min(Integer.MAX_VALUE - 16, offsets.length * 2L));
      }
      size++;
      offsets[size] = (int) total;
    }

    /** The column; the builder must not be used afterwards. */
    Utf8Column build() {
      byte[][] pages = new byte[full.size() + 1][];
      for (int p = 0; p < full.size(); p++) {
        pages[p] = full.get(p);
      }
      pages[full.size()] = pageUsed == page.length ? page : Arrays.copyOf(page, pageUsed);
      full.clear();
      page = null;
      int[] exact = offsets.length == size + 1 ? offsets : Arrays.copyOf(offsets, size + 1);
      offsets = null;
      return new Utf8Column(pages, exact, nulls, packed);
    }
  }

  @Override
  public String toString() {
    return "Utf8Column{" + size() + " entries, " + offsets[offsets.length - 1] + " bytes}";
  }
}
