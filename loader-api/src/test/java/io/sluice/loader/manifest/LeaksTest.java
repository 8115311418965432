package io.sluice.loader.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaksTest {
  private static final LabelMap AB = LabelMap.sorted(List.of("a", "b"));

  @Test
  void findsTheSameUriAndTheSameContentAcrossChannels() {
    Map<String, Manifest> channels = new LinkedHashMap<>();
    channels.put("train", Manifest.builder("s3://b/", AB)
        .add("a/1", 0, 5, "e1", null).add("a/2", 0, 5, "e2", null).add("b/3", 1, 9, "e3", null).build());
    // Another prefix spelling of the same URI, and a copy of a/2's content under another key.
    channels.put("test", Manifest.builder("s3://b/a/", AB)
        .add("1", 0).add("copy-of-2", 0, 5, "e2", null).add("x", 0, 6, "e2", null).build());
    List<Leak> leaks = Manifests.leaks(channels);
    assertEquals(List.of(
        new Leak("train", "s3://b/a/1", "test", "s3://b/a/1", true),
        new Leak("train", "s3://b/a/2", "test", "s3://b/a/copy-of-2", false)), leaks,
        "same ETag with another size is other content");
    assertEquals("s3://b/a/1 in train and test", leaks.get(0).toString());
    assertTrue(leaks.get(1).toString().contains("have the same ETag and size"));
  }

  @Test
  void duplicatesWithinAChannelAreNotLeaks() {
    Map<String, Manifest> channels = new LinkedHashMap<>();
    channels.put("train", Manifest.builder("s3://b/", AB).add("a/1", 0, 5, "e", null).add("a/2", 0, 5, "e", null)
        .build());
    channels.put("test", Manifest.builder("s3://b/", AB).add("a/3", 0, 5, "f", null).build());
    assertEquals(List.of(), Manifests.leaks(channels));
  }

  @Test
  void aGroupOfCopiesIsReportedAgainstItsFirstMember() {
    Map<String, Manifest> channels = new LinkedHashMap<>();
    channels.put("train", Manifest.builder("s3://b/", AB).add("a/1", 0, 0, "empty", null).build());
    channels.put("validation", Manifest.builder("s3://b/", AB).add("a/2", 0, 0, "empty", null).build());
    channels.put("test", Manifest.builder("s3://b/", AB).add("a/3", 0, 0, "empty", null).add("a/4", 0, 0, "empty", null)
        .build());
    List<Leak> leaks = Manifests.leaks(channels);
    assertEquals(3, leaks.size(), leaks.toString());
    assertTrue(leaks.stream().allMatch(l -> l.uri().equals("s3://b/a/1")), leaks.toString());
  }
}
