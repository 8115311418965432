package io.sluice.manifest.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.ManifestReader;
import io.sluice.loader.manifest.Manifests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestWriterTest {
  /** Not sorted, and with a class without entries: only a saved label map brings this encoding back. */
  private static final LabelMap LABELS = LabelMap.ordered(List.of("zebra", "cat", "dog", "emu"));

  /** Keys that need escaping in every format: unicode, spaces, commas, quotes, backslashes, a plus. */
  private static Manifest awkward(String prefix, boolean pinned) {
    Manifest.Builder b = Manifest.builder(prefix, LABELS);
    String[][] entries = {
        {"cat/\u00e9t\u00e9 \u732b 1.jpg", "cat"},
        {"dog/a,b.jpg", "dog"},
        {"dog/\"quoted\" \\ back+slash.jpg", "dog"},
        {"zebra/ leading and trailing .png", "zebra"},
        {"cat/\ud83d\udc31.jpg", "cat"},
    };
    for (int i = 0; i < entries.length; i++) {
      if (pinned) {
        b.add(entries[i][0], entries[i][1], i == 1 ? -1 : 100 + i, i == 2 ? null : "etag" + i,
            i % 2 == 0 ? "version" + i : null);
      } else {
        b.add(entries[i][0], entries[i][1]);
      }
    }
    return b.build();
  }

  private static byte[] write(ManifestWriter writer, Manifest m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(m, out);
    return out.toByteArray();
  }

  private static void assertSameEntries(Manifest expected, Manifest actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.ref(i), actual.ref(i), "entry " + i);
      assertEquals(expected.label(i), actual.label(i), "entry " + i);
    }
    assertEquals(expected.labels(), actual.labels());
    assertEquals(expected.digest(), actual.digest());
  }

  @ParameterizedTest
  @EnumSource(ManifestFormat.class)
  void everyFormatRoundTripsEntriesAndLabels(ManifestFormat format) throws IOException {
    Manifest m = awkward("s3://bucket/my data/", false);
    byte[] bytes = write(ManifestWriter.builder(format).build(), m);
    ManifestReader reader = Manifests.reader().format(format).labels(LABELS).prefix("s3://bucket/my data/").build();
    assertSameEntries(m, reader.read(new ByteArrayInputStream(bytes), "round." + format.id()));
    // Detected from the content, too.
    ManifestReader detecting = Manifests.reader().labels(LABELS).prefix("s3://bucket/my data/").build();
    assertSameEntries(m, detecting.read(new ByteArrayInputStream(bytes), "round" + format.extension()));
  }

  @ParameterizedTest
  @EnumSource(value = ManifestFormat.class, names = {"CSV", "AUGMENTED"})
  void formatsWithFieldsRoundTripPins(ManifestFormat format) throws IOException {
    Manifest m = awkward("s3://bucket/p/", true);
    byte[] bytes = write(ManifestWriter.builder(format).build(), m);
    Manifest back = Manifests.reader().labels(LABELS).build().read(new ByteArrayInputStream(bytes), "pins");
    assertSameEntries(m, back);
    assertTrue(back.pinned());

    byte[] unpinned = write(ManifestWriter.builder(format).pins(false).build(), m);
    Manifest loose = Manifests.reader().labels(LABELS).build().read(new ByteArrayInputStream(unpinned), "loose");
    assertEquals(-1, loose.objectSize(0));
    assertEquals(null, loose.etag(0));
    assertTrue(!loose.pinned());
  }

  @ParameterizedTest
  @EnumSource(value = ManifestFormat.class, names = {"CSV", "AUGMENTED"})
  void formatsWithFieldsHoldSeveralChannelsInOneFile(ManifestFormat format, @TempDir Path dir) throws IOException {
    Map<String, Manifest> channels = new LinkedHashMap<>();
    channels.put("train", Manifest.builder("s3://b/d/", LABELS).add("cat/1", 1, 3, "x", null).add("dog/2", 2).build());
    channels.put("validation", Manifest.builder("s3://b/d/", LABELS).add("cat/3", 1).build());
    channels.put("test", Manifest.builder("s3://b/d/", LABELS).build());
    Path file = dir.resolve("all" + format.extension());
    ManifestWriter.builder(format).build().write(channels, file);
    Map<String, Manifest> back = Manifests.reader().labels(LABELS).build().readChannels(file);
    assertEquals(List.of("train", "validation"), List.copyOf(back.keySet()), "an empty channel has no lines");
    assertSameEntries(channels.get("train"), back.get("train"));
    assertSameEntries(channels.get("validation"), back.get("validation"));
  }

  @Test
  void unlabelledEntriesRoundTripThroughCsvAndAugmented() throws IOException {
    Manifest m = Manifest.builder("s3://b/", LABELS).add("x/1", Manifest.NO_LABEL).add("cat/2", 1).build();
    for (ManifestFormat f : List.of(ManifestFormat.CSV, ManifestFormat.AUGMENTED)) {
      byte[] bytes = write(ManifestWriter.builder(f).build(), m);
      assertSameEntries(m, Manifests.reader().labels(LABELS).build().read(new ByteArrayInputStream(bytes), f.id()));
    }
  }

  @Test
  void writesTheDocumentedShapes() throws IOException {
    Manifest m = Manifest.builder("s3://b/d/", LABELS).add("cat/1.jpg", 1, 7, "abc", "v9").build();
    assertEquals("[\n{\"prefix\":\"s3://b/d/\"},\n\"cat/1.jpg\"\n]\n",
        new String(write(ManifestWriter.builder(ManifestFormat.MANIFEST_FILE).build(), m), StandardCharsets.UTF_8));
    assertEquals("s3://b/d/cat/1.jpg\n",
        new String(write(ManifestWriter.builder(ManifestFormat.KEYS).build(), m), StandardCharsets.UTF_8));
    assertEquals("uri,label,size,etag,version_id\ns3://b/d/cat/1.jpg,cat,7,abc,v9\n",
        new String(write(ManifestWriter.builder(ManifestFormat.CSV).build(), m), StandardCharsets.UTF_8));
    assertEquals("{\"source-ref\":\"s3://b/d/cat/1.jpg\",\"class\":1,\"class-metadata\":{\"class-name\":\"cat\"},"
        + "\"size\":7,\"etag\":\"abc\",\"version-id\":\"v9\"}\n",
        new String(write(ManifestWriter.builder(ManifestFormat.AUGMENTED).build(), m), StandardCharsets.UTF_8));
    assertEquals("{\"img\":\"s3://b/d/cat/1.jpg\",\"y\":1,\"y-metadata\":{\"class-name\":\"cat\"}}\n",
        new String(write(ManifestWriter.builder(ManifestFormat.AUGMENTED).sourceAttribute("img").labelAttribute("y")
            .pins(false).build(), m), StandardCharsets.UTF_8));
  }

  @Test
  void refusesWhatAFormatCannotHold() {
    Manifest mislabelled = Manifest.builder("s3://b/", LABELS).add("cat/1.jpg", 2).build();
    for (ManifestFormat f : List.of(ManifestFormat.MANIFEST_FILE, ManifestFormat.KEYS)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> write(ManifestWriter.builder(f).build(), mislabelled));
      assertTrue(e.getMessage().contains("'cat/1.jpg' is labelled 'dog'"), e.getMessage());
    }
    Manifest lineBreak = Manifest.builder("s3://b/", LABELS).add("cat/a\nb", 1).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> write(ManifestWriter.builder(ManifestFormat.KEYS).build(), lineBreak));
    assertTrue(e.getMessage().contains("line break"), e.getMessage());

    Map<String, Manifest> two = Map.of("train", mislabelled, "test", mislabelled);
    IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
        () -> ManifestWriter.builder(ManifestFormat.MANIFEST_FILE).build().write(two, new ByteArrayOutputStream()));
    assertTrue(channels.getMessage().contains("holds one channel"), channels.getMessage());

    Map<String, Manifest> mixed = new LinkedHashMap<>();
    mixed.put("train", Manifest.builder("s3://b/", LABELS).build());
    mixed.put("test", Manifest.builder("s3://b/", LabelMap.sorted(List.of("x"))).build());
    IllegalArgumentException maps = assertThrows(IllegalArgumentException.class,
        () -> ManifestWriter.builder(ManifestFormat.CSV).build().write(mixed, new ByteArrayOutputStream()));
    assertTrue(maps.getMessage().contains("channel test has another label map"), maps.getMessage());
  }

  @Test
  void keyListWithLineBreakInCsvRoundTrips(@TempDir Path dir) throws IOException {
    Manifest m = Manifest.builder("s3://b/", LABELS).add("cat/a\nb", 1).add("cat/c\r\nd", 1).build();
    Path file = dir.resolve("breaks.csv");
    ManifestWriter.builder(ManifestFormat.CSV).build().write(m, file);
    assertSameEntries(m, Manifests.reader().labels(LABELS).prefix("s3://b/").build().read(file));
    assertTrue(Files.readString(file).contains("\"s3://b/cat/a\nb\""));
  }

  @Test
  void manifestFileRoundTrips(@TempDir Path dir) throws IOException {
    Manifest m = Manifest.builder("s3://bucket/p q/").add("b/ü 1.jpg", "b").add("a/\"quoted\".jpg", "a").build();
    Path file = dir.resolve("out.manifest");
    ManifestWriter.builder(ManifestFormat.MANIFEST_FILE).build().write(m, file);
    Manifest back = Manifests.readManifestFile(file, null);
    assertEquals(m.size(), back.size());
    for (int i = 0; i < m.size(); i++) {
      assertEquals(m.uri(i), back.uri(i));
      assertEquals(m.label(i), back.label(i));
    }
    assertEquals(m.digest(), back.digest());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ManifestWriter.builder(ManifestFormat.MANIFEST_FILE).build().write(m, out);
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("[\n{\"prefix\":\"s3://bucket/p q/\"},\n\"b/ü 1.jpg\""),
        out.toString(StandardCharsets.UTF_8));
  }
}
