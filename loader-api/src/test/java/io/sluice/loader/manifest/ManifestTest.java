package io.sluice.loader.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.ObjectRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static final LabelMap AB = LabelMap.sorted(List.of("a", "b"));

  private static Manifest pinned() {
    return Manifest.builder("s3://b/", AB)
        .add("a/1", 0, 10, "e1", "v1")
        .add("b/2", 1, -1, null, null)
        .add("a/3", 0, 30, "e3", null)
        .build();
  }

  @Test
  void recordsSizeEtagAndVersionPerEntry() {
    Manifest m = pinned();
    assertTrue(m.pinned());
    assertEquals(new ObjectRef("s3://b/a/1", 10, "e1", "v1"), m.ref(0));
    assertEquals(new ObjectRef("s3://b/b/2", -1, null, null), m.ref(1), "an entry may record nothing");
    assertEquals(new ObjectRef("s3://b/a/3", 30, "e3", null), m.ref(2));
    assertEquals("e3", m.etag(2));
    assertNull(m.versionId(2));
    assertEquals(30, m.objectSize(2));
  }

  @Test
  void unpinnedViewReadsWhateverIsThereButKeepsTheRecord() {
    Manifest m = pinned();
    Manifest loose = m.unpinned();
    assertFalse(loose.pinned());
    assertEquals(ObjectRef.of("s3://b/a/1"), loose.ref(0));
    assertEquals("e1", loose.etag(0), "the record stays readable");
    assertEquals(10, loose.objectSize(0));
    assertEquals(m.digest(), loose.digest(), "same content, same digest");
    assertSame(loose, loose.unpinned());
    assertTrue(m.pinned(), "the original is unchanged");
  }

  @Test
  void aManifestWithoutRecordsIsNotPinned() {
    Manifest m = Manifest.builder("s3://b/").add("a/1", "a").build();
    assertFalse(m.pinned());
    assertEquals(ObjectRef.of("s3://b/a/1"), m.ref(0));
  }

  @Test
  void metadataStartingLateIsNullBefore() {
    Manifest.Builder b = Manifest.builder("p/", AB);
    for (int i = 0; i < 200; i++) {
      b.add("a/" + i, 0, i >= 150 ? i : -1, i >= 100 ? "e" + i : null, i == 199 ? "v" : null);
    }
    Manifest m = b.build();
    assertEquals(-1, m.objectSize(149));
    assertEquals(150, m.objectSize(150));
    assertNull(m.etag(99));
    assertEquals("e100", m.etag(100));
    assertNull(m.versionId(198));
    assertEquals("v", m.versionId(199));
  }

  @Test
  void digestCoversUrisNotTheirSplitIntoPrefixAndKey() {
    Manifest a = Manifest.builder("s3://b/x/", AB).add("a/1", 0).build();
    Manifest b = Manifest.builder("s3://b/", AB).add("x/a/1", 0).build();
    Manifest c = Manifest.builder("", AB).add("s3://b/x/a/1", 0).build();
    assertEquals(a.digest(), b.digest());
    assertEquals(a.digest(), c.digest());
  }

  @Test
  void digestCoversPinsAndLabelNames() {
    Manifest plain = Manifest.builder("s3://b/", AB).add("a/1", 0).build();
    Manifest sized = Manifest.builder("s3://b/", AB).add("a/1", 0, 5, null, null).build();
    Manifest otherSize = Manifest.builder("s3://b/", AB).add("a/1", 0, 6, null, null).build();
    Manifest tagged = Manifest.builder("s3://b/", AB).add("a/1", 0, -1, "e", null).build();
    Manifest versioned = Manifest.builder("s3://b/", AB).add("a/1", 0, -1, null, "e").build();
    Manifest renamed = Manifest.builder("s3://b/", LabelMap.sorted(List.of("a", "c"))).add("a/1", 0).build();
    List<String> digests = List.of(plain.digest(), sized.digest(), otherSize.digest(), tagged.digest(),
        versioned.digest(), renamed.digest());
    assertEquals(digests.size(), digests.stream().distinct().count(), digests.toString());
  }

  @Test
  void digestSeparatesEntriesUnambiguously() {
    Manifest one = Manifest.builder("", AB).add("ab", 0).add("c", 0).build();
    Manifest two = Manifest.builder("", AB).add("a", 0).add("bc", 0).build();
    assertNotEquals(one.digest(), two.digest());
  }

  @Test
  void builderRejectsBadEntriesNamingThem() {
    Manifest.Builder b = Manifest.builder("s3://b/", AB);
    IllegalArgumentException label = assertThrows(IllegalArgumentException.class, () -> b.add("a/1", 2));
    assertTrue(label.getMessage().contains("label 2 of key 'a/1' is out of range [0, 2)"), label.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> b.add("a/1", 0, -5, null, null));
    assertTrue(size.getMessage().contains("size -5 of key 'a/1'"), size.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.add("", 0));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> b.add("c/1", "c"));
    assertTrue(unknown.getMessage().contains("class 'c' of key 'c/1' is not in the label map [a, b]"),
        unknown.getMessage());
    assertThrows(IllegalStateException.class, () -> Manifest.builder("p/").add("a/1", 0));
    assertEquals(0, b.size(), "failed adds leave nothing behind");
  }

  @Test
  void keysAreHeldAsBytesAcrossPages() {
    // More than one 1 MB page of key bytes, with multi-byte characters straddling page boundaries.
    Manifest.Builder b = Manifest.builder("s3://b/", AB);
    int n = 40_000;
    for (int i = 0; i < n; i++) {
      b.add("a/\u00e9t\u00e9-\u732b-" + i + "-" + "x".repeat(i % 17), 0);
    }
    Manifest m = b.build();
    for (int i = 0; i < n; i += 997) {
      assertEquals("a/\u00e9t\u00e9-\u732b-" + i + "-" + "x".repeat(i % 17), m.key(i));
    }
    assertEquals("a/\u00e9t\u00e9-\u732b-" + (n - 1) + "-" + "x".repeat((n - 1) % 17), m.key(n - 1));
  }
}
