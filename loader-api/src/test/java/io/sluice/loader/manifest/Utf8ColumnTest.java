package io.sluice.loader.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8ColumnTest {
  /** Entries of 1 to ~3000 bytes, multi-byte characters included, so many of them straddle pages. */
  private static List<String> values(int n, String prefix) {
    SplittableRandom random = new SplittableRandom(1);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder(prefix).append(i).append('/');
      int length = random.nextInt(1000);
      for (int k = 0; k < length; k++) {
        sb.append(k % 7 == 0 ? '\u00e9' : k % 11 == 0 ? '\u732b' : (char) ('a' + k % 26));
      }
      out.add(sb.toString());
    }
    return out;
  }

  private static Utf8Column column(List<String> values) {
    Utf8Column.Builder b = new Utf8Column.Builder();
    values.forEach(b::add);
    return b.build();
  }

  @Test
  void entriesStraddlingPagesReadHashAndCompareLikeStrings() throws Exception {
    List<String> values = values(8000, "s3://bucket/dir/");
    Utf8Column c = column(values);
    Utf8Column twin = column(values);
    int straddling = 0;
    int before = 0;
    for (int i = 0; i < values.size(); i++) {
      byte[] utf8 = values.get(i).getBytes(StandardCharsets.UTF_8);
      assertEquals(values.get(i), c.get(i));
      assertEquals(utf8.length, c.byteLength(i));
      assertEquals(Utf8Column.hashOf(utf8), c.hash(i, 1), "entry " + i);
      assertTrue(c.equalsEntry(i, twin, i));
      assertFalse(i > 0 && c.equalsEntry(i, twin, i - 1));
      MessageDigest a = MessageDigest.getInstance("SHA-256");
      c.update(a, i);
      assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8)),
          HexFormat.of().formatHex(a.digest()));
      if (before / Utf8Column.PAGE != (before + utf8.length - 1) / Utf8Column.PAGE) {
        straddling++;
      }
      before += utf8.length;
    }
    assertTrue(straddling >= 3, "entries straddling a page boundary: " + straddling);
    assertEquals("s3://bucket/dir/".length(), c.commonDirectoryLength());

    Utf8Column dropped = c.dropPrefix("s3://bucket/".length());
    for (int i = 0; i < values.size(); i++) {
      assertEquals(values.get(i).substring("s3://bucket/".length()), dropped.get(i));
    }
  }

  @Test
  void md5EtagsArePackedInto16BytesAndReadBackExactly() throws Exception {
    List<String> etags = List.of("d41d8cd98f00b204e9800998ecf8427e", "0123456789abcdef0123456789abcdef-12",
        "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427", "d41d8cd98f00b204e9800998ecf8427e-",
        "d41d8cd98f00b204e9800998ecf8427e-x", "W/\"weak\"", "");
    Utf8Column.Builder packing = new Utf8Column.Builder(true);
    etags.forEach(packing::add);
    packing.add((String) null);
    Utf8Column packed = packing.build();
    Utf8Column plain = column(etags);
    assertEquals(16, packed.byteLength(0));
    assertEquals(19, packed.byteLength(1));
    assertEquals(32, packed.byteLength(2), "upper case is not what S3 sends: stored as text");
    for (int i = 0; i < etags.size(); i++) {
      assertEquals(etags.get(i), packed.get(i));
      MessageDigest a = MessageDigest.getInstance("SHA-256");
      MessageDigest b = MessageDigest.getInstance("SHA-256");
      packed.update(a, i);
      plain.update(b, i);
      assertEquals(HexFormat.of().formatHex(b.digest()), HexFormat.of().formatHex(a.digest()), etags.get(i));
      for (int j = 0; j < etags.size(); j++) {
        assertEquals(etags.get(i).equals(etags.get(j)), packed.equalsEntry(i, packed, j), i + " vs " + j);
      }
    }
    assertNull(packed.get(etags.size()));
  }

  @Test
  void nullsAndEmptyColumns() {
    Utf8Column.Builder b = new Utf8Column.Builder();
    b.addNulls(2);
    b.add("x");
    b.add((String) null);
    Utf8Column c = b.build();
    assertEquals(4, c.size());
    assertNull(c.get(0));
    assertEquals("x", c.get(2));
    assertTrue(c.isNull(3));
    assertTrue(c.equalsEntry(0, c, 1));
    assertFalse(c.equalsEntry(0, c, 2));
    Utf8Column empty = new Utf8Column.Builder().build();
    assertEquals(0, empty.size());
    assertEquals(0, empty.commonDirectoryLength());
  }

  @Test
  void commonDirectoryNeverSwallowsAWholeKey() {
    assertEquals("s3://b/".length(), column(List.of("s3://b/dir/", "s3://b/dir/x")).commonDirectoryLength());
    assertEquals("s3://b/a/".length(), column(List.of("s3://b/a/1.jpg")).commonDirectoryLength());
    assertEquals(0, column(List.of("a/1", "b/2")).commonDirectoryLength());
  }
}
