package io.sluice.loader.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds equal entries across several manifests without an object per entry: every entry gets a
 * {@code long} holding its hash (high half) and its number (low half), the array is sorted, and only runs
 * of equal hashes are compared.
 */
final class CrossChannelCheck {
  private final Manifest[] manifests;
  private final String[] names;
  private final int[] starts;

  CrossChannelCheck(Manifest[] manifests, String[] names) {
    this.manifests = manifests;
    this.names = names;
    this.starts = new int[manifests.length + 1];
    int total = 0;
    for (int c = 0; c < manifests.length; c++) {
      starts[c] = total;
      total = Math.addExact(total, manifests[c].size());
    }
    starts[manifests.length] = total;
  }

  /**
   * Throws if two entries have the same URI, naming it, both lines and (if they differ) both channels.
   *
   * @param lines each manifest's entries' lines, or {@code null} to name entry numbers instead
   * @param fullUris whether to name the entry by its URI rather than its key
   */
  void checkNoDuplicates(String source, int[][] lines, boolean fullUris) {
    long[] sorted = sortedByUri();
    forEachRun(sorted, (a, b) -> {
      int ca = channelOf(a);
      int cb = channelOf(b);
      int ia = a - starts[ca];
      int ib = b - starts[cb];
      if (!sameUri(ca, ia, cb, ib)) {
        return false;
      }
      long la = lines == null ? a : lines[ca][ia];
      long lb = lines == null ? b : lines[cb][ib];
      boolean aFirst = la < lb || (la == lb && a < b);
      String where = (lines == null ? "entries " : "lines ") + Math.min(la, lb) + " and " + Math.max(la, lb);
      if (ca != cb) {
        where += ", channels " + names[aFirst ? ca : cb] + " and " + names[aFirst ? cb : ca];
      }
      String name = fullUris ? manifests[ca].uri(ia) : manifests[ca].key(ia);
      throw new ManifestException(source, lines == null ? 0 : Math.max(la, lb), 0, "duplicate key '"
          + name + "' (" + where + ")");
    });
  }

  /** Every entry that appears in two channels, by URI or by ETag and size; see {@link Manifests#leaks}. */
  List<Leak> leaks() {
    List<Leak> out = new ArrayList<>();
    forEachRun(sortedByUri(), (a, b) -> {
      int ca = channelOf(a);
      int cb = channelOf(b);
      int ia = a - starts[ca];
      int ib = b - starts[cb];
      if (ca == cb || !sameUri(ca, ia, cb, ib)) {
        return false;
      }
      out.add(new Leak(names[ca], manifests[ca].uri(ia), names[cb], manifests[cb].uri(ib), true));
      return true;
    });
    forEachRun(sortedByContent(), (a, b) -> {
      int ca = channelOf(a);
      int cb = channelOf(b);
      int ia = a - starts[ca];
      int ib = b - starts[cb];
      if (ca == cb || !sameContent(ca, ia, cb, ib) || sameUri(ca, ia, cb, ib)) {
        return false;
      }
      out.add(new Leak(names[ca], manifests[ca].uri(ia), names[cb], manifests[cb].uri(ib), false));
      return true;
    });
    return out;
  }

  /** Compares two entries (global numbers, the earlier first); returns whether they matched. */
  private interface PairVisitor {
    boolean visit(int earlier, int later);
  }

  /**
   * Visits pairs within each run of equal hashes: each entry against the earlier ones until one matches, so
   * a group of equal entries is reported as each member against the first.
   */
  private static void forEachRun(long[] sorted, PairVisitor visitor) {
    int runStart = 0;
    for (int x = 1; x < sorted.length; x++) {
      long hash = sorted[x] >>> 32;
      if (hash != (sorted[x - 1] >>> 32)) {
        runStart = x;
        continue;
      }
      int b = (int) sorted[x];
      for (int y = runStart; y < x; y++) {
        int a = (int) sorted[y];
        if (visitor.visit(Math.min(a, b), Math.max(a, b))) {
          break;
        }
      }
    }
  }

  private long[] sortedByUri() {
    long[] hashed = new long[starts[manifests.length]];
    for (int c = 0; c < manifests.length; c++) {
      Utf8Column keys = manifests[c].keyColumn();
      int start = Utf8Column.hashOf(manifests[c].prefix().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < manifests[c].size(); i++) {
        int global = starts[c] + i;
        hashed[global] = ((long) keys.hash(i, start) << 32) | (global & 0xFFFFFFFFL);
      }
    }
    Arrays.sort(hashed);
    return hashed;
  }

  /** Entries recording both ETag and size, sorted by a hash of the two. */
  private long[] sortedByContent() {
    long[] hashed = new long[starts[manifests.length]];
    int n = 0;
    for (int c = 0; c < manifests.length; c++) {
      Manifest m = manifests[c];
      Utf8Column etags = m.etagColumn();
      if (etags == null || !m.recordsSizes()) {
        continue;
      }
      for (int i = 0; i < m.size(); i++) {
        if (etags.isNull(i) || m.objectSize(i) < 0) {
          continue;
        }
        int hash = etags.hash(i, Long.hashCode(m.objectSize(i)));
        int global = starts[c] + i;
        hashed[n++] = ((long) hash << 32) | (global & 0xFFFFFFFFL);
      }
    }
    long[] used = Arrays.copyOf(hashed, n);
    Arrays.sort(used);
    return used;
  }

  private boolean sameUri(int ca, int ia, int cb, int ib) {
    if (manifests[ca].prefix().equals(manifests[cb].prefix())) {
      return manifests[ca].keyColumn().equalsEntry(ia, manifests[cb].keyColumn(), ib);
    }
    return manifests[ca].uri(ia).equals(manifests[cb].uri(ib));
  }

  private boolean sameContent(int ca, int ia, int cb, int ib) {
    return manifests[ca].objectSize(ia) == manifests[cb].objectSize(ib)
        && manifests[ca].etagColumn().equalsEntry(ia, manifests[cb].etagColumn(), ib);
  }

  /** The manifest holding global entry {@code global}. */
  private int channelOf(int global) {
    for (int c = manifests.length - 1; c >= 0; c--) {
      if (starts[c] <= global && global < starts[c + 1]) {
        return c;
      }
    }
    throw new IllegalStateException("entry " + global + " is in no manifest");
  }
}
