package io.sluice.manifest.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestException;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.Manifests;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelSplitTest {
  private static final String ROOT = "s3://b/images/";

  /** {@code perClass} objects in each of the classes, unique content each. */
  private static List<ObjectRef> listing(int perClass, String... classes) {
    List<ObjectRef> out = new ArrayList<>();
    for (String c : classes) {
      for (int i = 0; i < perClass; i++) {
        out.add(new ObjectRef(ROOT + c + "/" + i + ".jpg", 1000 + i, c + "-etag-" + i, null));
      }
    }
    return out;
  }

  private static ChannelSplit.Builder split() {
    return ChannelSplit.builder().root(ROOT).seed(7).minPerClass(0);
  }

  private static Map<String, String> channelOfEveryKey(ChannelSplit.Result r) {
    Map<String, String> out = new HashMap<>();
    r.channels().forEach((channel, m) -> {
      for (int i = 0; i < m.size(); i++) {
        out.put(m.key(i), channel);
      }
    });
    return out;
  }

  @Test
  void labelsByClassFolderAndSplitsEveryObjectOnce() {
    ChannelSplit.Result r = split().build().split(listing(500, "cat", "dog", "emu"));
    assertEquals(List.of("train", "validation", "test"), List.copyOf(r.channels().keySet()));
    assertEquals(List.of("cat", "dog", "emu"), r.labels().names());
    assertEquals(1500, channelOfEveryKey(r).size());
    for (Manifest m : r.channels().values()) {
      assertEquals(ROOT, m.prefix());
      assertEquals(r.labels(), m.labels());
      for (int i = 0; i < m.size(); i++) {
        assertEquals(ChannelSplit.classFolder(m.key(i)), m.labels().name(m.label(i)));
        assertEquals(1000 + Integer.parseInt(m.key(i).replaceAll(".*/|\\.jpg", "")), m.objectSize(i));
        assertTrue(m.etag(i).endsWith("-etag-" + m.key(i).replaceAll(".*/|\\.jpg", "")));
      }
      assertTrue(m.pinned(), "the listing's size and ETag pin every entry");
      for (int i = 1; i < m.size(); i++) {
        assertTrue(m.key(i - 1).compareTo(m.key(i)) < 0, "entries in listing order");
      }
    }
  }

  @Test
  void eachClassFollowsTheRatiosRoughly() {
    ChannelSplit.Result r = split().ratios(0.6, 0.3, 0.1).build().split(listing(2000, "cat", "dog"));
    for (String c : List.of("cat", "dog")) {
      // Binomial: 5 standard deviations around the expected count.
      assertNear(1200, r.counts().count(c, "train"), 5 * Math.sqrt(2000 * 0.6 * 0.4));
      assertNear(600, r.counts().count(c, "validation"), 5 * Math.sqrt(2000 * 0.3 * 0.7));
      assertNear(200, r.counts().count(c, "test"), 5 * Math.sqrt(2000 * 0.1 * 0.9));
      assertEquals(2000, r.counts().total(c));
    }
  }

  private static void assertNear(double expected, int actual, double tolerance) {
    assertTrue(Math.abs(expected - actual) <= tolerance, "expected " + expected + " +- " + tolerance + ", was " + actual);
  }

  @Test
  void aKeysChannelDependsOnlyOnSeedRatiosAndKey() {
    ChannelSplit.Result before = split().build().split(listing(300, "cat", "dog"));
    List<ObjectRef> grown = listing(600, "cat", "dog", "newt"); // every old key, plus new keys and a new class
    ChannelSplit.Result after = split().build().split(grown);
    Map<String, String> old = channelOfEveryKey(before);
    Map<String, String> now = channelOfEveryKey(after);
    old.forEach((key, channel) -> assertEquals(channel, now.get(key), key));
    ChannelSplit plan = split().build();
    old.forEach((key, channel) -> assertEquals(channel, plan.channelOf(key), key));

    Map<String, String> reseeded = channelOfEveryKey(split().seed(8).build().split(listing(300, "cat", "dog")));
    long moved = old.keySet().stream().filter(k -> !old.get(k).equals(reseeded.get(k))).count();
    assertTrue(moved > 100, "another seed gives another split; moved " + moved);
  }

  @Test
  void theHashIsTheDocumentedOne() throws Exception {
    // First 64 bits of SHA-256(seed as 8 big-endian bytes || key), as a fraction: recomputable anywhere.
    ChannelSplit plan = ChannelSplit.builder().root(ROOT).seed(42).ratios(0.5, 0.25, 0.25).build();
    for (String key : List.of("cat/1.jpg", "dog/\u00e9.jpg", "x/y/z")) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(new byte[] {0, 0, 0, 0, 0, 0, 0, 42});
      byte[] h = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      double u = (Long.parseUnsignedLong(HexFormat.of().formatHex(h, 0, 8), 16) >>> 11) * 0x1.0p-53;
      String expected = u < 0.5 ? "train" : u < 0.75 ? "validation" : "test";
      assertEquals(expected, plan.channelOf(key), key + " u=" + u);
    }
  }

  @Test
  void zeroRatioChannelsAreLeftOut() {
    ChannelSplit.Result r = split().ratios(0.9, 0.1, 0).build().split(listing(100, "cat"));
    assertEquals(List.of("train", "validation"), List.copyOf(r.channels().keySet()));
    assertEquals(100, r.channels().get("train").size() + r.channels().get("validation").size());
    r.channels().forEach((name, m) -> assertEquals(name, m.channel(), "each manifest knows its channel"));
    ChannelSplit.Result all = split().ratios(1, 0, 0).build().split(listing(100, "cat"));
    assertEquals(100, all.channels().get("train").size());
  }

  @Test
  void minimumPerClassListsEveryClassThatFallsShort() {
    List<ObjectRef> objects = new ArrayList<>(listing(400, "cat", "dog"));
    objects.addAll(listing(2, "rare"));
    objects.addAll(listing(5, "few"));
    objects.add(ObjectRef.of(ROOT + "empty/")); // a folder marker: the class exists but holds nothing
    ManifestException e = assertThrows(ManifestException.class,
        () -> split().minPerClass(3).build().split(objects));
    String msg = e.getMessage();
    assertTrue(msg.startsWith(ROOT + ": 3 class(es) cannot have 3 object(s) in every channel [train, validation, test]"),
        msg);
    assertTrue(msg.contains("'empty' (0 objects: train 0, validation 0, test 0)"), msg);
    assertTrue(msg.contains("'rare' (2 objects: "), msg);
    assertTrue(msg.contains("'few' (5 objects: "), msg);
    assertFalse(msg.contains("'cat'") || msg.contains("'dog'"), msg);

    ChannelSplit.Result lenient = split().minPerClass(0).build().split(objects);
    assertEquals(List.of("cat", "dog", "empty", "few", "rare"), lenient.labels().names(),
        "the empty class keeps its place in the encoding");
    assertEquals(0, lenient.counts().total("empty"));
  }

  @Test
  void aSavedLabelMapKeepsTheEncodingAndNamesEmptyClasses() {
    LabelMap saved = LabelMap.ordered(List.of("dog", "cat", "yak"));
    ManifestException shortOf = assertThrows(ManifestException.class,
        () -> split().labels(saved).minPerClass(1).build().split(listing(50, "cat", "dog")));
    assertTrue(shortOf.getMessage().contains("'yak' (0 objects"), shortOf.getMessage());

    ChannelSplit.Result r = split().labels(saved).build().split(listing(50, "cat", "dog"));
    assertEquals(saved, r.labels());
    Manifest train = r.channels().get("train");
    assertEquals(train.key(0).startsWith("cat/") ? 1 : 0, train.label(0));

    ManifestException unknown = assertThrows(ManifestException.class,
        () -> split().labels(saved).build().split(listing(5, "cat", "emu", "gnu")));
    assertTrue(unknown.getMessage().contains("classes [emu, gnu] are not in the label map [dog, cat, yak]"),
        unknown.getMessage());
  }

  @Test
  void nestedPrefixesBelongToTheirTopClassFolder() {
    List<ObjectRef> objects = List.of(
        ObjectRef.of(ROOT + "cat/a.jpg"), ObjectRef.of(ROOT + "cat/indoor/b.jpg"),
        ObjectRef.of(ROOT + "cat/indoor/sofa/c.jpg"), ObjectRef.of(ROOT + "dog/d.jpg"));
    ChannelSplit.Result r = split().ratios(1, 0, 0).build().split(objects);
    assertEquals(List.of("cat", "dog"), r.labels().names());
    assertEquals(3, r.counts().count("cat", "train"));
  }

  @Test
  void objectsDirectlyUnderTheRootAreAnErrorUnlessFilteredOut() {
    List<ObjectRef> objects = new ArrayList<>(listing(20, "cat"));
    objects.add(ObjectRef.of(ROOT + "README.txt"));
    objects.add(ObjectRef.of(ROOT + "labels.csv"));
    ManifestException e = assertThrows(ManifestException.class, () -> split().build().split(objects));
    assertTrue(e.getMessage().contains("2 object(s) directly under the root have no class folder: 'README.txt', "
        + "'labels.csv'"), e.getMessage());

    ChannelSplit.Result r = split().suffixes(".JPG").build().split(objects);
    assertEquals(20, channelOfEveryKey(r).size());
    assertEquals(2, r.skipped());
  }

  @Test
  void nothingToSplitIsAnError() {
    ManifestException none = assertThrows(ManifestException.class, () -> split().build().split(List.of()));
    assertTrue(none.getMessage().contains("found no objects under " + ROOT + " to split"), none.getMessage());
    ManifestException filtered = assertThrows(ManifestException.class,
        () -> split().suffixes(".png").build().split(listing(3, "cat")));
    assertTrue(filtered.getMessage().contains("(3 left out by the suffixes [.png]"), filtered.getMessage());
  }

  @Test
  void aLabelFunctionReplacesClassFolders() {
    List<ObjectRef> objects = List.of(ObjectRef.of(ROOT + "img_cat_1.jpg"), ObjectRef.of(ROOT + "img_dog_2.jpg"),
        ObjectRef.of(ROOT + "notes.txt"), ObjectRef.of(ROOT + "sub/"));
    ChannelSplit.Result r = split().ratios(1, 0, 0)
        .labelFunction(key -> key.startsWith("img_") ? key.split("_")[1] : null).build().split(objects);
    assertEquals(List.of("cat", "dog"), r.labels().names());
    assertEquals(2, r.channels().get("train").size());
    assertEquals(1, r.skipped());
  }

  @Test
  void sameContentInTwoChannelsIsALeak() {
    List<ObjectRef> objects = new ArrayList<>(listing(200, "cat"));
    // Copies of cat/0.jpg's content under other names: some will land in another channel.
    for (int i = 0; i < 30; i++) {
      objects.add(new ObjectRef(ROOT + "dog/copy" + i + ".jpg", 1000, "cat-etag-0", null));
    }
    ManifestException e = assertThrows(ManifestException.class, () -> split().build().split(objects));
    assertTrue(e.getMessage().contains("leak between channels"), e.getMessage());
    assertTrue(e.getMessage().contains("have the same ETag and size"), e.getMessage());
    ChannelSplit.Result r = split().leakageCheck(false).build().split(objects);
    assertFalse(Manifests.leaks(r.channels()).isEmpty());
  }

  @Test
  void listsAStoreAndWritesManifestsLabelsAndSummary(@TempDir Path dir) throws Exception {
    InMemoryObjectStore store = new InMemoryObjectStore();
    for (String c : List.of("cat", "dog")) {
      for (int i = 0; i < 40; i++) {
        store.put(ROOT + c + "/" + i + ".jpg", (c + i).getBytes(StandardCharsets.UTF_8));
      }
    }
    store.put("s3://b/elsewhere/x.jpg", new byte[1]);
    ChannelSplit.Result r = split().minPerClass(1).build().split(store);
    assertEquals(80, channelOfEveryKey(r).size(), "only objects under the root");

    List<ChannelSplit.ChannelFile> files = r.write(dir.resolve("out"),
        ManifestWriter.builder(ManifestFormat.CSV).build());
    assertEquals(3, files.size());
    LabelMap labels = LabelMap.read(dir.resolve("out/labels.tsv"));
    assertEquals(r.labels(), labels);
    for (ChannelSplit.ChannelFile f : files) {
      assertEquals(dir.resolve("out/" + f.channel() + ".csv"), f.file());
      byte[] bytes = Files.readAllBytes(f.file());
      assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), f.sha256());
      Manifest back = Manifests.reader().labels(labels).prefix(ROOT).build().read(f.file());
      assertEquals(r.channels().get(f.channel()).digest(), back.digest());
      assertEquals(f.digest(), back.digest());
      assertEquals(f.entries(), back.size());
      assertEquals(f.channel(), back.channel(), "the file name gives the channel back");
    }
    Map<String, Object> summary = flatJson(Files.readString(dir.resolve("out/summary.json")));
    assertEquals(ROOT, summary.get("root"));
    assertEquals("7", summary.get("seed"));
    assertEquals("csv", summary.get("format"));
    assertEquals(files.get(0).sha256(), summary.get("channels[0].sha256"));
    assertEquals("train", summary.get("channels[0].channel"));
    assertEquals("cat", summary.get("classes[0].name"));
    assertEquals(Integer.toString(r.counts().count("cat", "validation")), summary.get("classes[0].validation"));
  }

  /** The scalars of a JSON document by path, e.g. {@code channels[0].sha256}. */
  private static Map<String, Object> flatJson(String json) throws IOException {
    Map<String, Object> out = new HashMap<>();
    try (JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
      flatten(p, p.nextToken(), "", out);
    }
    return out;
  }

  private static void flatten(JsonParser p, JsonToken t, String path, Map<String, Object> out) throws IOException {
    if (t == JsonToken.START_OBJECT) {
      for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
        String name = p.currentName();
        flatten(p, p.nextToken(), path.isEmpty() ? name : path + "." + name, out);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
        flatten(p, v, path + "[" + i++ + "]", out);
      }
    } else {
      out.put(path, p.getText());
    }
  }

  @Test
  void settersRejectBadValuesNamingThem() {
    ChannelSplit.Builder b = ChannelSplit.builder();
    IllegalArgumentException root = assertThrows(IllegalArgumentException.class, () -> b.root("s3://b/images"));
    assertTrue(root.getMessage().contains("'s3://b/images'"), root.getMessage());
    IllegalArgumentException ratio = assertThrows(IllegalArgumentException.class, () -> b.ratios(0.8, -0.1, 0.3));
    assertTrue(ratio.getMessage().contains("validation ratio") && ratio.getMessage().contains("-0.1"),
        ratio.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.ratios(0, 0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> b.ratios(Double.NaN, 0.5, 0.5));
    IllegalArgumentException min = assertThrows(IllegalArgumentException.class, () -> b.minPerClass(-2));
    assertTrue(min.getMessage().contains("-2"), min.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.suffixes(".jpg", ""));
    IllegalStateException noRoot = assertThrows(IllegalStateException.class, b::build);
    assertTrue(noRoot.getMessage().contains("root is required"), noRoot.getMessage());
    IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
        () -> split().build().split(List.of(ObjectRef.of("s3://other/x/1.jpg"))));
    assertTrue(outside.getMessage().contains("s3://other/x/1.jpg is not under the root " + ROOT), outside.getMessage());
  }
}
