package io.sluice.manifest.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassCountsTest {
  @Test
  void countsClassesByNameAcrossChannels() {
    Map<String, Manifest> channels = new LinkedHashMap<>();
    channels.put("train", Manifest.builder("s3://b/", LabelMap.sorted(List.of("cat", "dog", "emu")))
        .add("cat/1", 0).add("cat/2", 0).add("dog/3", 1).add("x/4", Manifest.NO_LABEL).build());
    channels.put("test", Manifest.builder("s3://b/", LabelMap.sorted(List.of("dog", "yak"))).add("dog/5", 0).build());
    ClassCounts counts = ClassCounts.of(channels);
    assertEquals(List.of("cat", "dog", "emu", "yak", ClassCounts.UNLABELLED), counts.classes());
    assertEquals(2, counts.count("cat", "train"));
    assertEquals(1, counts.count("dog", "test"));
    assertEquals(2, counts.total("dog"));
    assertEquals(0, counts.count("emu", "train"));
    assertEquals(0, counts.count("nothing", "train"));
    assertEquals(1, counts.count(ClassCounts.UNLABELLED, "train"));
    assertEquals("""
        class          train      test     total
        cat                2         0         2
        dog                1         1         2
        emu                0         0         0
        yak                0         0         0
        (no label)         1         0         1
        total              4         1         5
        """, counts.table());
  }
}
