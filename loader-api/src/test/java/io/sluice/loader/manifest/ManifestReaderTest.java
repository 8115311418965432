package io.sluice.loader.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectRef;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  private static final LabelMap ANIMALS = LabelMap.ordered(List.of("zebra", "dog", "cat"));

  private static Map<String, Manifest> channels(ManifestReader reader, String text, String source) throws IOException {
    return reader.readChannels(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), source);
  }

  private static Map<String, Manifest> channels(String text, String source) throws IOException {
    return channels(Manifests.reader().build(), text, source);
  }

  private static ManifestException fails(ManifestReader reader, String text, String source) {
    return assertThrows(ManifestException.class, () -> channels(reader, text, source));
  }

  private static ManifestException fails(String text, String source) {
    return fails(Manifests.reader().build(), text, source);
  }

  private static void assertMessage(ManifestException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  // ---- augmented manifests -------------------------------------------------------------------------------

  @Test
  void readsAugmentedManifestWithClassNamesChannelsAndPins() throws IOException {
    Map<String, Manifest> m = channels("""
        {"source-ref": "s3://b/img/cat/1.jpg", "class": "cat", "channel": "train", "size": 10, "etag": "e1"}
        {"source-ref": "s3://b/img/dog/2.jpg", "class": "dog", "channel": "test", "version-id": "v2"}

        {"source-ref": "s3://b/img/dog/3.jpg", "class": "dog", "extra": {"nested": [1, 2]}}
        """, "data.manifest");
    assertEquals(List.of("train", "test"), List.copyOf(m.keySet()));
    Manifest train = m.get("train");
    Manifest test = m.get("test");
    assertEquals("s3://b/img/", train.prefix(), "the common directory of every URI in the file");
    assertEquals(List.of("cat", "dog"), train.labels().names());
    assertEquals(train.labels(), test.labels(), "one encoding for every channel of a file");
    assertEquals(2, train.size(), "a line without a channel goes to the default channel, train");
    assertEquals("cat/1.jpg", train.key(0));
    assertEquals(new ObjectRef("s3://b/img/cat/1.jpg", 10, "e1", null), train.ref(0));
    assertEquals(1, train.label(1));
    assertEquals(new ObjectRef("s3://b/img/dog/2.jpg", -1, null, "v2"), test.ref(0));
  }

  @Test
  void readsGroundTruthOutputByMetadataClassName() throws IOException {
    // Ground Truth numbers classes in its own order; the class name says what the number means.
    String text = """
        {"source-ref":"s3://b/x/a.jpg","animals":1,"animals-metadata":{"class-name":"dog","confidence":0.9,"type":"groundtruth/image-classification","human-annotated":"yes"}}
        {"source-ref":"s3://b/x/b.jpg","animals":0,"animals-metadata":{"class-name":"cat","job-name":"labeling-job/animals"}}
        """;
    ManifestReader reader = Manifests.reader().labelAttribute("animals").build();
    Manifest m = channels(reader, text, "output.manifest").get("train");
    assertEquals(List.of("cat", "dog"), m.labels().names());
    assertEquals("dog", m.labels().name(m.label(0)));
    assertEquals("cat", m.labels().name(m.label(1)));

    Manifest fixed = channels(Manifests.reader().labelAttribute("animals").labels(ANIMALS).build(), text, "o")
        .get("train");
    assertEquals(1, fixed.label(0), "dog is index 1 of the saved map, whatever Ground Truth numbered it");
  }

  @Test
  void augmentedIndicesNeedALabelMapAndMustBeInRange() throws IOException {
    String text = "{\"source-ref\":\"s3://b/a.jpg\",\"class\":2}\n{\"source-ref\":\"s3://b/b.jpg\",\"class\":3}\n";
    ManifestException noMap = fails(text, "idx.jsonl");
    assertMessage(noMap, "idx.jsonl:1:", "label 2 of key 's3://b/a.jpg' is a class index", "needs a label map");

    ManifestException range = fails(Manifests.reader().labels(ANIMALS).build(), text, "idx.jsonl");
    assertEquals(2, range.line());
    assertMessage(range, "idx.jsonl:2:", "label 3", "out of range", "[0, 3)");

    Manifest first = channels(Manifests.reader().labels(ANIMALS).build(), text.lines().findFirst().get(), "one")
        .get("train");
    assertEquals(2, first.label(0));
  }

  @Test
  void augmentedErrorsNameLineColumnTextAndExpectation() {
    ManifestException notObject = fails("{\"source-ref\":\"s3://b/a\",\"class\":\"a\"}\n[1]\n", "a.jsonl");
    assertMessage(notObject, "a.jsonl:2:1: found START_ARRAY", "expected one JSON object per line");

    ManifestException noSource = fails("{\"src\":\"s3://b/a\",\"class\":\"a\"}\n", "a.jsonl");
    assertMessage(noSource, "a.jsonl:1:1: no 'source-ref' attribute");

    ManifestException noLabel = fails("{\"source-ref\":\"s3://b/a\"}\n", "a.jsonl");
    assertMessage(noLabel, "no 'class' attribute for 's3://b/a'", "or null for no label");

    ManifestException badLabel = fails("{\"source-ref\":\"s3://b/a\",\"class\":[1]}\n", "a.jsonl");
    assertMessage(badLabel, "a.jsonl:1:", "found START_ARRAY", "expected a class name, a class index or null");

    ManifestException badSource = fails("{\"source-ref\":7,\"class\":\"a\"}\n", "a.jsonl");
    assertMessage(badSource, "found VALUE_NUMBER_INT '7', expected 'source-ref' as a string URI");

    ManifestException badSize = fails("{\"source-ref\":\"s3://b/a\",\"class\":\"a\",\"size\":-4}\n", "a.jsonl");
    assertMessage(badSize, "'size', expected the size in bytes");

    ManifestException twoOnALine = fails("{\"source-ref\":\"s3://b/a\",\"class\":\"a\"} {\"source-ref\":\"s3://b/c\",\"class\":\"a\"}\n",
        "a.jsonl");
    assertMessage(twoOnALine, "a.jsonl:1:", "expected one object per line");

    ManifestException malformed = fails("{\"source-ref\":\"s3://b/a\",\"class\":\"a\"}\n{\"source-ref\": }\n", "a.jsonl");
    assertEquals(2, malformed.line());
    assertMessage(malformed, "malformed JSON");

    ManifestException channel = fails("{\"source-ref\":\"s3://b/a\",\"class\":\"a\",\"channel\":\"tset\"}\n", "a.jsonl");
    assertMessage(channel, "a.jsonl:1:", "unknown channel 'tset': expected one of [train, validation, test]");

    ManifestException duplicate = fails("""
        {"source-ref":"s3://b/a/1","class":"a","channel":"train"}
        {"source-ref":"s3://b/a/2","class":"a","channel":"train"}
        {"source-ref":"s3://b/a/1","class":"a","channel":"test"}
        """, "a.jsonl");
    assertEquals(3, duplicate.line());
    assertMessage(duplicate, "duplicate key 's3://b/a/1' (lines 1 and 3, channels train and test)");
  }

  @Test
  void augmentedAttributeNamesAreConfigurable() throws IOException {
    ManifestReader reader = Manifests.reader().sourceAttribute("image").labelAttribute("y").channelAttribute("split")
        .channels(List.of("fit", "holdout")).defaultChannel("fit").build();
    Map<String, Manifest> m = channels(reader, """
        {"image":"s3://b/p/q.png","y":"cat","split":"holdout"}
        {"image":"s3://b/p/r.png","y":null}
        """, "custom.jsonl");
    assertEquals(List.of("fit", "holdout"), List.copyOf(m.keySet()));
    assertEquals(Manifest.NO_LABEL, m.get("fit").label(0));
    assertEquals("s3://b/p/q.png", m.get("holdout").uri(0));
  }

  // ---- CSV -------------------------------------------------------------------------------------------------

  @Test
  void readsCsvWithEveryColumnQuotingAndChannels() throws IOException {
    Map<String, Manifest> m = channels("""
        uri,label,channel,size,etag,version_id
        s3://b/d/cat/1.jpg,cat,train,100,\"""abc\""",v1
        "s3://b/d/dog/a,b ""quoted"".jpg",dog,validation,,,
        s3://b/d/cat/2.jpg,cat,test,5,def,
        s3://b/d/x/3.jpg,,train,,,
        """, "set.csv");
    assertEquals(List.of("train", "validation", "test"), List.copyOf(m.keySet()));
    Manifest train = m.get("train");
    assertEquals("s3://b/d/", train.prefix());
    assertEquals(new ObjectRef("s3://b/d/cat/1.jpg", 100, "abc", "v1"), train.ref(0), "ETag quotes are removed");
    assertEquals(Manifest.NO_LABEL, train.label(1), "an empty label is no label");
    assertEquals("dog/a,b \"quoted\".jpg", m.get("validation").key(0));
    assertEquals(new ObjectRef("s3://b/d/dog/a,b \"quoted\".jpg", -1, null, null), m.get("validation").ref(0));
    assertEquals(5, m.get("test").objectSize(0));
    assertNull(m.get("test").versionId(0));
  }

  @Test
  void urisInSeveralBucketsKeepTheirWholeUri() throws IOException {
    Manifest m = channels("uri,label\ns3://a/x/1.jpg,p\ns3://a/y/2.jpg,q\ns3://b/z/3.jpg,p\nrelative/4.jpg,q\n",
        "mixed.csv").get("train");
    assertEquals("", m.prefix());
    assertEquals(List.of("s3://a/x/1.jpg", "s3://a/y/2.jpg", "s3://b/z/3.jpg", "relative/4.jpg"),
        List.of(m.uri(0), m.uri(1), m.uri(2), m.uri(3)));
    Manifest buckets = channels("uri,label\ns3://a/x/1.jpg,p\ns3://b/y/2.jpg,q\n", "two.csv").get("train");
    assertEquals("s3://", buckets.prefix());
    assertEquals("b/y/2.jpg", buckets.key(1));
    ManifestException dup = fails("uri,label\ns3://a/x/1.jpg,p\ns3://b/y/2.jpg,q\ns3://a/x/1.jpg,q\n", "d.csv");
    assertMessage(dup, "d.csv:4: duplicate key 's3://a/x/1.jpg' (lines 2 and 4)");
  }

  @Test
  void csvKeyColumnIsRelativeToTheGivenPrefix() throws IOException {
    ManifestReader reader = Manifests.reader().prefix("s3://b/root/").labels(ANIMALS).build();
    Manifest m = channels(reader, "KEY , Label\r\ncat/1.jpg,cat\r\ndog/2.jpg,1\r\ns3://b/root/cat/3.jpg,0\r\n",
        "k.csv").get("train");
    assertEquals("s3://b/root/", m.prefix());
    assertEquals(List.of("cat/1.jpg", "dog/2.jpg", "cat/3.jpg"), List.of(m.key(0), m.key(1), m.key(2)));
    assertEquals(List.of(2, 1, 0), List.of(m.label(0), m.label(1), m.label(2)),
        "with a label map, an integer that is no class name is an index");
  }

  @Test
  void csvErrorsNameLineColumnTextAndExpectation() {
    assertMessage(fails("", "e.csv"), "e.csv:1: the file is empty", "expected a header");
    assertMessage(fails("uri,lable\n", "e.csv"), "e.csv:1:5: unknown column 'lable'", "expected one of [key, uri");
    assertMessage(fails("uri,label,uri\n", "e.csv"), "e.csv:1:11: column 'uri' appears twice");
    assertMessage(fails("label,channel\n", "e.csv"), "expected exactly one of the columns 'key' and 'uri'");
    assertMessage(fails("key,uri\n", "e.csv"), "expected exactly one of the columns 'key' and 'uri'");

    ManifestException fields = fails("uri,label\ns3://b/a/1,a\ns3://b/a/2,a,extra\n", "e.csv");
    assertEquals(3, fields.line());
    assertMessage(fields, "e.csv:3:1: found 3 fields, expected 2");

    assertMessage(fails("uri,label\n,a\n", "e.csv"), "e.csv:2:1: empty uri");
    assertMessage(fails("uri,label,size\ns3://b/a/1,a,12x\n", "e.csv"), "e.csv:2:14: size '12x': expected the size");
    assertMessage(fails("uri,label,size\ns3://b/a/1,a,-1\n", "e.csv"), "size '-1'");
    assertMessage(fails("uri,label,channel\ns3://b/a/1,a,\n", "e.csv"), "e.csv:2:14: empty channel");
    assertMessage(fails("uri,label,channel\ns3://b/a/1,a,tset\n", "e.csv"),
        "e.csv:2:14: unknown channel 'tset': expected one of [train, validation, test]");
    assertMessage(fails("uri,label\ns3://b/a/1,\"a\n", "e.csv"), "e.csv:2:12: the quoted field starting here is never closed");
    assertMessage(fails("uri,label\ns3://b/a/1,\"a\"b\n", "e.csv"), "e.csv:2:15: found 'b' after a closing quote");
    assertMessage(fails(Manifests.reader().labels(ANIMALS).build(), "uri,label\ns3://b/a/1,7\n", "e.csv"),
        "e.csv:2:12: label 7 of key 's3://b/a/1' is out of range");
    assertMessage(fails(Manifests.reader().labels(ANIMALS).build(), "uri,label\ns3://b/a/1,emu\n", "e.csv"),
        "e.csv:2:12: class 'emu' of key 's3://b/a/1' is not in the label map [zebra, dog, cat]");
    assertMessage(fails(Manifests.reader().prefix("s3://b/root/").build(), "uri,label\ns3://other/a/1,a\n", "e.csv"),
        "e.csv:2:1: URI 's3://other/a/1' is not under the prefix 's3://b/root/'");
    assertMessage(fails("uri,label\ns3://b/a/1,a\ns3://b/a/2,a\n\ns3://b/a/1,b\n", "e.csv"),
        "e.csv:5: duplicate key", "(lines 2 and 5)");
    assertMessage(fails("uri,label\ns3://b/a/1,a\tb\n", "e.csv"), "e.csv:2:12: class name 'a\tb'", "without tabs");
  }

  @Test
  void malformedUtf8IsAnErrorNotAGuess() {
    byte[] bad = "uri,label\ns3://b/a/1,ok\ns3://b/a/\u00e9,x\n".getBytes(StandardCharsets.ISO_8859_1);
    ManifestException e = assertThrows(ManifestException.class,
        () -> Manifests.reader().build().readChannels(new ByteArrayInputStream(bad), "latin1.csv"));
    assertMessage(e, "latin1.csv:", "malformed UTF-8");
  }

  // ---- key lists -------------------------------------------------------------------------------------------

  @Test
  void readsKeyListsOfUrisLabelledByClassFolderUnderTheCommonDirectory() throws IOException {
    Manifest m = channels("s3://b/train/cat/1.jpg\r\n\r\ns3://b/train/dog/2.jpg\ns3://b/train/cat/x/3.jpg",
        "list.txt").get("train");
    assertEquals("s3://b/train/", m.prefix());
    assertEquals(3, m.size());
    assertEquals(List.of("cat", "dog"), m.labels().names());
    assertEquals(List.of(0, 1, 0), List.of(m.label(0), m.label(1), m.label(2)));
  }

  @Test
  void keyListsWithOneClassNeedThePrefix() throws IOException {
    String oneClass = "s3://b/train/cat/1.jpg\ns3://b/train/cat/2.jpg\n";
    ManifestException inferred = fails(oneClass, "one.txt");
    assertMessage(inferred, "one.txt:1: key '1.jpg' has no class folder under the inferred prefix 's3://b/train/cat/'",
        "set the prefix");
    Manifest m = channels(Manifests.reader().prefix("s3://b/train/").build(), oneClass, "one.txt").get("train");
    assertEquals(List.of("cat"), m.labels().names());
    Manifest unlabelled = channels(Manifests.reader().classFolders(false).build(), oneClass, "one.txt").get("train");
    assertEquals(Manifest.NO_LABEL, unlabelled.label(1));
    assertEquals("s3://b/train/cat/2.jpg", unlabelled.uri(1));
  }

  @Test
  void keyListsOfRelativeKeys() throws IOException {
    Manifest m = channels(Manifests.reader().format(ManifestFormat.KEYS).build(), "cat/1.jpg\ndog/2.jpg\n", "k")
        .get("train");
    assertEquals("", m.prefix());
    assertEquals("dog/2.jpg", m.uri(1));
    ManifestException dup = fails(Manifests.reader().format(ManifestFormat.KEYS).build(), "cat/1\ndog/2\n\ncat/1\n", "k");
    assertMessage(dup, "k:4: duplicate key 'cat/1' (lines 1 and 4)");
  }

  // ---- ManifestFile through the general reader ------------------------------------------------------------

  @Test
  void manifestFileHoldsOneChannelNamedByDefault() throws IOException {
    ManifestReader reader = Manifests.reader().defaultChannel("validation").build();
    Map<String, Manifest> m = channels(reader, "[{\"prefix\":\"s3://b/v/\"},\"cat/1\",\"dog/2\"]", "v.manifest");
    assertEquals(List.of("validation"), List.copyOf(m.keySet()));
    assertEquals("s3://b/v/dog/2", m.get("validation").uri(1));
  }

  @Test
  void readOneRefusesSeveralChannels() {
    String csv = "uri,label,channel\ns3://b/a/1,a,train\ns3://b/a/2,a,test\n";
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.reader().build()
        .read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "two.csv"));
    assertMessage(e, "two.csv: holds the channels [train, test]: expected one");
  }

  @Test
  void emptyInputsGiveAnEmptyDefaultChannel() throws IOException {
    assertEquals(0, channels("", "empty.txt").get("train").size());
    assertEquals(0, channels("uri,label\n", "header-only.csv").get("train").size());
    assertEquals(0, channels("\n\n", "blank.jsonl").get("train").size());
  }

  // ---- detection and sources -------------------------------------------------------------------------------

  @Test
  void detectsTheFormatFromTheContent() throws IOException {
    assertEquals(ManifestFormat.MANIFEST_FILE, detect("\uFEFF \n[{\"prefix\":\"s3://b/\"}]", "x"));
    assertEquals(ManifestFormat.AUGMENTED, detect("{\"source-ref\":\"s3://b/a\"}", "output.manifest"));
    assertEquals(ManifestFormat.CSV, detect("uri,label\n", "x"));
    assertEquals(ManifestFormat.CSV, detect("\"Key\",channel\n", "x"));
    assertEquals(ManifestFormat.CSV, detect("s3://b/a/1\n", "list.CSV"));
    assertEquals(ManifestFormat.KEYS, detect("s3://b/a/1,2\n", "x"));
    assertEquals(ManifestFormat.KEYS, detect("label\n", "x"));
    assertEquals(ManifestFormat.KEYS, detect("", "x"));
  }

  private static ManifestFormat detect(String text, String source) throws IOException {
    BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    ManifestFormat f = ManifestReader.detect(in, source);
    assertEquals(text, new String(in.readAllBytes(), StandardCharsets.UTF_8), "detection must not consume input");
    return f;
  }

  @Test
  void readsFromPathsAndStores(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("set.csv");
    Files.writeString(file, "uri,label\ns3://b/a/1,a\n");
    assertEquals(1, Manifests.reader().build().read(file).size());

    InMemoryObjectStore store = new InMemoryObjectStore()
        .put("s3://b/m/set.jsonl", "{\"source-ref\":\"s3://b/a/1\",\"class\":\"a\"}\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("s3://b/a/1", Manifests.reader().build().read("s3://b/m/set.jsonl", store).uri(0));
    SluiceException missing = assertThrows(SluiceException.class,
        () -> Manifests.reader().build().read("s3://b/m/none.csv", store));
    assertTrue(missing.getMessage().contains("s3://b/m/none.csv"), missing.getMessage());
    ManifestException bad = assertThrows(ManifestException.class, () -> Manifests.reader().build()
        .read("s3://b/m/bad.csv", new InMemoryObjectStore().put("s3://b/m/bad.csv", "uri,x\n".getBytes())));
    assertMessage(bad, "s3://b/m/bad.csv:1:5: unknown column 'x'");
  }

  @Test
  void leavesTheCallersStreamOpen() throws IOException {
    String[] texts = {"[{\"prefix\":\"s3://b/\"},\"a/1\"]", "{\"source-ref\":\"s3://b/a/1\",\"class\":\"a\"}",
        "uri,label\ns3://b/a/1,a\n", "s3://b/a/1\n"};
    for (String text : texts) {
      boolean[] closed = {false};
      ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
        @Override
        public void close() {
          closed[0] = true;
        }
      };
      assertEquals(1, Manifests.reader().prefix("s3://b/").build().read(in, "open").size());
      assertTrue(!closed[0], "closed after reading " + text);
    }
  }

  @Test
  void builderSettersRejectBadValuesNamingThem() {
    ManifestReader.Builder b = Manifests.reader();
    IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class, () -> b.prefix("s3://b/x"));
    assertTrue(prefix.getMessage().contains("'s3://b/x'"), prefix.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.channels(List.of()));
    IllegalArgumentException repeated = assertThrows(IllegalArgumentException.class,
        () -> b.channels(List.of("a", "a")));
    assertTrue(repeated.getMessage().contains("[a, a]"), repeated.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.labelAttribute(""));
    assertThrows(NullPointerException.class, () -> b.format(null));
  }
}
