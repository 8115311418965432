package io.sluice.loader.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Manifests#read}: one call for every format, from a path or a URI, with the channel from the file name. */
class ReadAnyManifestTest {
  private static final ObjectStore NO_OBJECTS = new InMemoryObjectStore();

  private static final String AUGMENTED = """
      {"source-ref":"s3://b/img/cat/1.jpg","class":0,"class-metadata":{"class-name":"cat"},"size":10,"etag":"e1"}
      {"source-ref":"s3://b/img/dog/2.jpg","class":1,"class-metadata":{"class-name":"dog"},"size":20,"etag":"e2"}
      """;
  private static final String GROUND_TRUTH = """
      {"source-ref":"s3://b/img/cat/1.jpg","animal":0,"animal-metadata":{"class-name":"cat","confidence":0.9,\
      "type":"groundtruth/image-classification","job-name":"labeling-job/animals","human-annotated":"yes",\
      "creation-date":"2024-01-01T00:00:00.000000"}}
      {"source-ref":"s3://b/img/dog/2.jpg","animal":1,"animal-metadata":{"class-name":"dog","confidence":0.8,\
      "type":"groundtruth/image-classification","job-name":"labeling-job/animals","human-annotated":"yes",\
      "creation-date":"2024-01-01T00:00:00.000000"}}
      """;
  private static final String CSV = "uri,label,size,etag\ns3://b/img/cat/1.jpg,cat,10,e1\ns3://b/img/dog/2.jpg,dog,20,e2\n";
  private static final String MANIFEST_FILE = "[{\"prefix\":\"s3://b/img/\"},\"cat/1.jpg\",\"dog/2.jpg\"]\n";
  private static final String KEYS = "s3://b/img/cat/1.jpg\ns3://b/img/dog/2.jpg\n";

  private static Path write(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static void assertCatAndDog(Manifest m) {
    assertEquals(2, m.size());
    assertEquals("s3://b/img/cat/1.jpg", m.uri(0));
    assertEquals("s3://b/img/dog/2.jpg", m.uri(1));
    assertEquals(List.of("cat", "dog"), m.labels().names());
    assertEquals(0, m.label(0));
    assertEquals(1, m.label(1));
  }

  @Test
  void aFileWithoutChannelFieldsTakesItsChannelFromItsName(@TempDir Path dir) throws IOException {
    Path validation = write(dir, "validation.jsonl", AUGMENTED);
    Map<String, Manifest> channels = Manifests.reader().build().readChannels(validation);
    assertEquals(List.of("validation"), List.copyOf(channels.keySet()));
    assertEquals("validation", channels.get("validation").channel());
    assertEquals("validation", Manifests.read(validation.toString(), NO_OBJECTS).channel());
    assertEquals("test", Manifests.read(write(dir, "test.manifest", MANIFEST_FILE)).channel());
    assertEquals("train", Manifests.read(write(dir, "train.csv", CSV)).channel());
    assertEquals("train", Manifests.read(write(dir, "images.jsonl", AUGMENTED)).channel());
    // A channel set on the reader wins over the name.
    assertEquals("test", Manifests.reader().defaultChannel("test").build().read(validation).channel());
  }

  @Test
  void theChannelRuleIsTheFileNameWhenItNamesAChannelElseTrain() {
    assertEquals("validation", Manifests.channelOf("manifests/validation.jsonl"));
    assertEquals("test", Manifests.channelOf("s3://bucket/m/test.manifest"));
    assertEquals("train", Manifests.channelOf("train.csv"));
    assertEquals("validation", Manifests.channelOf("/data/Validation-2024.csv"));
    assertEquals("test", Manifests.channelOf("test_part1.txt"));
    assertEquals("test", Manifests.channelOf("test"));
    assertEquals("train", Manifests.channelOf("C:\\data\\train.jsonl"));
    assertEquals("train", Manifests.channelOf("holdout.jsonl"));
    assertEquals("train", Manifests.channelOf("testing.csv"));
    assertEquals("train", Manifests.channelOf("s3://bucket/validation/images.manifest"));
    assertEquals("train", Manifests.channelOf(""));
  }

  @Test
  void everyFormatIsRecognisedFromItsContentWhateverItsName(@TempDir Path dir) throws IOException {
    // Each file has a name whose extension belongs to another format.
    assertCatAndDog(Manifests.read(write(dir, "a.csv.txt", CSV)));
    assertCatAndDog(Manifests.read(write(dir, "b.jsonl", MANIFEST_FILE)));
    assertCatAndDog(Manifests.read(write(dir, "c.manifest", AUGMENTED)));
    assertCatAndDog(Manifests.reader().labelAttribute("animal").build().read(write(dir, "d.csv", GROUND_TRUTH)));
    assertCatAndDog(Manifests.read(write(dir, "e.jsonl", KEYS)));
    Manifest pinned = Manifests.read(write(dir, "f.manifest", CSV));
    assertTrue(pinned.pinned());
    assertEquals("e2", pinned.etag(1));
  }

  @Test
  void readsAUriFromTheStoreAndAPathOrFileUriFromDisk(@TempDir Path dir) throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore()
        .put("s3://b/m/validation.csv", CSV.getBytes(StandardCharsets.UTF_8))
        .put("s3://b/m/train.jsonl", AUGMENTED.getBytes(StandardCharsets.UTF_8));
    Manifest fromS3 = Manifests.read("s3://b/m/validation.csv", store);
    assertCatAndDog(fromS3);
    assertEquals("validation", fromS3.channel());
    assertEquals("train", Manifests.read("s3://b/m/train.jsonl", store).channel());

    Path local = write(dir, "test.jsonl", AUGMENTED);
    Manifest fromDisk = Manifests.read(local.toString(), store);
    assertEquals("test", fromDisk.channel());
    assertEquals(fromS3.digest(), fromDisk.digest(), "the same entries, whatever the format and place");
    assertEquals(fromDisk.digest(), Manifests.read(local.toUri().toString(), store).digest());

    SluiceException missing = assertThrows(SluiceException.class,
        () -> Manifests.read("s3://b/m/missing.csv", store));
    assertTrue(missing.getMessage().contains("s3://b/m/missing.csv"), missing.getMessage());
    String absent = dir.resolve("absent.jsonl").toString();
    SluiceException noFile = assertThrows(SluiceException.class, () -> Manifests.read(absent, store));
    assertTrue(noFile.getMessage().contains(absent), noFile.getMessage());
  }

  @Test
  void aFileOfSeveralChannelsIsReadWithReadChannels(@TempDir Path dir) throws IOException {
    Path all = write(dir, "dataset.jsonl", """
        {"source-ref":"s3://b/cat/1.jpg","class":"cat","channel":"train"}
        {"source-ref":"s3://b/dog/2.jpg","class":"dog","channel":"validation"}
        {"source-ref":"s3://b/cat/3.jpg","class":"cat","channel":"test"}
        {"source-ref":"s3://b/dog/4.jpg","class":"dog"}
        """);
    Map<String, Manifest> channels = Manifests.readChannels(all.toString(), NO_OBJECTS);
    assertEquals(List.of("train", "validation", "test"), List.copyOf(channels.keySet()));
    channels.forEach((name, m) -> assertEquals(name, m.channel()));
    assertEquals(2, channels.get("train").size(), "the line without a channel is the file name's: train");
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.read(all.toString(), NO_OBJECTS));
    assertTrue(e.getMessage().contains("dataset.jsonl") && e.getMessage().contains("readChannels"), e.getMessage());
  }

  @Test
  void errorsNameTheFileAndTheLine(@TempDir Path dir) throws IOException {
    Path broken = write(dir, "validation.jsonl", AUGMENTED + "{\"source-ref\": \"s3://b/img/emu/3.jpg\", \"class\": }\n");
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.read(broken.toString(), NO_OBJECTS));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith(broken + ":3"), e.getMessage());
    Path badCsv = write(dir, "train.csv", "uri,label,size\ns3://b/cat/1.jpg,cat,10\ns3://b/dog/2.jpg,dog,big\n");
    ManifestException csv = assertThrows(ManifestException.class, () -> Manifests.read(badCsv));
    assertEquals(3, csv.line());
    assertTrue(csv.getMessage().contains("train.csv:3"), csv.getMessage());
  }

  @Test
  void aManifestBuiltInCodeIsTrainUnlessToldAndTheChannelIsNotPartOfItsIdentity() {
    Manifest train = Manifest.builder("s3://b/").add("cat/1.jpg", "cat").build();
    assertEquals(Manifest.DEFAULT_CHANNEL, train.channel());
    Manifest test = Manifest.builder("s3://b/").channel("test").add("cat/1.jpg", "cat").build();
    assertEquals("test", test.channel());
    assertEquals(train.digest(), test.digest());
    Manifest relabelled = train.withChannel("validation");
    assertEquals("validation", relabelled.channel());
    assertEquals(train.digest(), relabelled.digest());
    assertSame(train, train.withChannel("train"));
    assertEquals("validation", relabelled.unpinned().channel());
    assertNotEquals(train.toString(), relabelled.toString());
    assertThrows(IllegalArgumentException.class, () -> train.withChannel(""));
    assertThrows(NullPointerException.class, () -> Manifest.builder("s3://b/").channel(null));
  }
}
