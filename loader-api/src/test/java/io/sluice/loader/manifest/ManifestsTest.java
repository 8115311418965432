package io.sluice.loader.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {

  private static Manifest read(String json, LabelMap labels) throws IOException {
    return Manifests.readManifestFile(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "train.manifest",
        labels);
  }

  private static ManifestException fails(String json) {
    return assertThrows(ManifestException.class, () -> read(json, null));
  }

  @Test
  void readsSageMakerManifestFileWithLabelsFromClassFolders() throws IOException {
    Manifest m = read("""
        [{"prefix": "s3://bucket/train/"},
        "dog/002.jpg",
        "cat/001.jpg",
        "zebra/x/003.png"
        ]""", null);
    assertEquals(3, m.size());
    assertEquals("s3://bucket/train/", m.prefix());
    assertEquals("s3://bucket/train/dog/002.jpg", m.uri(0));
    assertEquals("zebra/x/003.png", m.key(2));
    assertEquals(List.of("cat", "dog", "zebra"), m.labels().names(), "classes sorted, whatever the file order");
    assertEquals(1, m.label(0));
    assertEquals(0, m.label(1));
    assertEquals(2, m.label(2));
    assertEquals(new ObjectRef("s3://bucket/train/cat/001.jpg", -1, null, null), m.ref(1));
  }

  @Test
  void aSavedLabelMapFixesTheEncoding(@TempDir Path dir) throws IOException {
    LabelMap saved = LabelMap.ordered(List.of("zebra", "dog", "cat"));
    saved.write(dir.resolve("labels.tsv"));
    assertEquals("0\tzebra\n1\tdog\n2\tcat\n", Files.readString(dir.resolve("labels.tsv")));
    LabelMap back = LabelMap.read(dir.resolve("labels.tsv"));
    assertEquals(saved, back);
    Manifest m = read("[{\"prefix\": \"s3://b/\"}, \"cat/1.jpg\", \"zebra/2.jpg\"]", back);
    assertEquals(2, m.label(0));
    assertEquals(0, m.label(1));
    ManifestException e = assertThrows(ManifestException.class,
        () -> read("[{\"prefix\": \"s3://b/\"},\n\"cat/1.jpg\",\n\"emu/2.jpg\"]", back));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("'emu'") && e.getMessage().contains("train.manifest:3"), e.getMessage());
  }

  @Test
  void malformedLabelMapNamesTheLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("l.tsv"), "0\tcat\n2\tdog\n");
    ManifestException e = assertThrows(ManifestException.class, () -> LabelMap.read(dir.resolve("l.tsv")));
    assertTrue(e.getMessage().contains("l.tsv:2") && e.getMessage().contains("expected '1"), e.getMessage());
  }

  @Test
  void readsFromAStoreByUri() {
    InMemoryObjectStore store = new InMemoryObjectStore()
        .put("s3://b/m/train.manifest", "[{\"prefix\":\"s3://b/d/\"},\"x/1\",\"y/2\"]".getBytes(StandardCharsets.UTF_8));
    Manifest m = Manifests.readManifestFile("s3://b/m/train.manifest", store, null);
    assertEquals(2, m.size());
    io.sluice.loader.SluiceException e = assertThrows(io.sluice.loader.SluiceException.class,
        () -> Manifests.readManifestFile("s3://b/m/missing.manifest", store, null));
    assertTrue(e.getMessage().contains("s3://b/m/missing.manifest"), e.getMessage());
  }

  @Test
  void utf8ByteOrderMarkAndCrlfAreAccepted() throws IOException {
    byte[] body = "[{\"prefix\": \"s3://b/\"},\r\n\"a/1\",\r\n\"b/2\"\r\n]\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    Manifest m = Manifests.readManifestFile(new ByteArrayInputStream(withBom), "bom.manifest", null);
    assertEquals(2, m.size());
  }

  @Test
  void errorsNameLineColumnTextAndExpectation() {
    ManifestException notArray = fails("{\"prefix\": \"s3://b/\"}");
    assertTrue(notArray.getMessage().startsWith("train.manifest:1:1: found START_OBJECT"), notArray.getMessage());
    assertTrue(notArray.getMessage().contains("expected a JSON array"), notArray.getMessage());

    ManifestException noPrefix = fails("[\"a/1.jpg\"]");
    assertTrue(noPrefix.getMessage().contains("expected the prefix object"), noPrefix.getMessage());

    ManifestException prefixField = fails("[{\"root\": \"s3://b/\"}, \"a/1\"]");
    assertTrue(prefixField.getMessage().contains("no \"prefix\" field"), prefixField.getMessage());

    ManifestException slash = fails("[{\"prefix\": \"s3://b/images\"}, \"a/1\"]");
    assertTrue(slash.getMessage().contains("'s3://b/images' must end with '/'"), slash.getMessage());

    ManifestException number = fails("[{\"prefix\": \"s3://b/\"},\n\"a/1\",\n42]");
    assertEquals(3, number.line());
    assertTrue(number.getMessage().contains("train.manifest:3:1: found VALUE_NUMBER_INT '42', expected a key"),
        number.getMessage());

    ManifestException noClass = fails("[{\"prefix\": \"s3://b/\"},\n\"loose.jpg\"]");
    assertTrue(noClass.getMessage().contains("key 'loose.jpg' has no class folder"), noClass.getMessage());

    ManifestException broken = fails("[{\"prefix\": \"s3://b/\"},\n\"a/1\",\n\"a/2\" \"a/3\"]");
    assertEquals(3, broken.line());
    assertTrue(broken.getMessage().contains("malformed JSON"), broken.getMessage());

    ManifestException truncated = fails("[{\"prefix\": \"s3://b/\"},\n\"a/1\",");
    assertTrue(truncated.getMessage().contains("train.manifest:2"), truncated.getMessage());

    ManifestException empty = fails("");
    assertTrue(empty.getMessage().contains("found end of file, expected a JSON array"), empty.getMessage());

    ManifestException trailing = fails("[{\"prefix\": \"s3://b/\"}, \"a/1\"] []");
    assertTrue(trailing.getMessage().contains("after the closing ']'"), trailing.getMessage());
  }

  @Test
  void duplicateKeysAreReportedWithBothLines() {
    ManifestException e = fails("[{\"prefix\": \"s3://b/\"},\n\"a/1\",\n\"b/2\",\n\"a/1\"]");
    assertTrue(e.getMessage().contains("duplicate key 'a/1' (lines 2 and 4)"), e.getMessage());
  }

  @Test
  void duplicateCheckCopesWithHashCollisions() {
    // "Aa" and "BB" share String.hashCode; neither is a duplicate.
    Manifest m = Manifest.builder("s3://b/").add("x/Aa", "x").add("x/BB", "x").add("x/AaAa", "x").add("x/BBBB", "x")
        .add("x/AaBB", "x").build();
    new CrossChannelCheck(new Manifest[] {m}, new String[] {"train"}).checkNoDuplicates("m", null, false);
  }

  @Test
  void digestChangesWithContent() {
    Manifest a = Manifest.builder("s3://b/").add("x/1", "x").add("y/2", "y").build();
    Manifest same = Manifest.builder("s3://b/").add("x/1", "x").add("y/2", "y").build();
    Manifest relabelled = Manifest.builder("s3://b/").add("x/1", "x").add("y/2", "z").build();
    Manifest reordered = Manifest.builder("s3://b/").add("y/2", "y").add("x/1", "x").build();
    assertEquals(a.digest(), same.digest());
    assertEquals(64, a.digest().length());
    assertNotEquals(a.digest(), relabelled.digest());
    assertNotEquals(a.digest(), reordered.digest());
  }

  @Test
  void builderHoldsManyEntriesCompactlyWithMetadata() {
    Manifest.Builder b = Manifest.builder("s3://b/", LabelMap.sorted(List.of("a", "b")));
    for (int i = 0; i < 100_000; i++) {
      b.add("a/" + i, i % 2, i, i % 3 == 0 ? "etag" + i : null, null);
    }
    Manifest m = b.build();
    assertEquals(100_000, m.size());
    assertEquals("a/99999", m.key(99_999));
    assertEquals(99_999, m.objectSize(99_999));
    assertEquals("etag99999", m.ref(99_999).etag());
    assertEquals(null, m.ref(99_998).etag());
    assertThrows(IllegalArgumentException.class, () -> b.add("a/x", 2));
    assertThrows(IndexOutOfBoundsException.class, () -> m.key(100_000));
  }
}
