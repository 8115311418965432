package io.sluice.transforms;

import static io.sluice.transforms.TestImages.jpeg;
import static io.sluice.transforms.TestImages.photo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.Transform;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.StoredObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain-prefix cache: the deterministic prefix (decode -> resizeShorterSide) runs once per object, later epochs
 * make no GET and no decode, and every batch is bit-identical to a run without the cache.
 */
class PrefixCacheTest {
  private static final String PREFIX = "mem://prefix/";
  private static final int SIZE = 40;

  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final List<byte[]> objects = new ArrayList<>();

  @TempDir
  Path directory;

  PrefixCacheTest() {
    for (int i = 0; i < SIZE; i++) {
      byte[] bytes = jpeg(photo(i, 60 + (i * 7) % 40, 45 + (i * 5) % 30, 20), 0.85f, false);
      objects.add(bytes);
      store.put(PREFIX + key(i), bytes);
    }
  }

  private static String key(int i) {
    return "c" + (i % 4) + "/" + i + ".jpg";
  }

  /** A manifest pinned to each object's ETag. */
  private Manifest manifest() {
    Manifest.Builder b = Manifest.builder(PREFIX);
    for (int i = 0; i < SIZE; i++) {
      StoredObject o = store.get(io.sluice.loader.store.ObjectRef.of(PREFIX + key(i))).join();
      b.add(key(i), "c" + (i % 4), o.size(), o.etag(), null);
    }
    return b.build();
  }

  private static Transform<StoredObject, Features> chain() {
    return Images.decode(3)
        .andThen(Images.resizeShorterSide(40))
        .andThen(Images.randomResizedCrop(32))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
  }

  private DataLoader.Builder loader(Manifest manifest) {
    return DataLoader.builder().manifest(manifest).store(store).transform(chain()).batchSize(8).seed(7).workers(2);
  }

  /** Every batch's features and labels of {@code epoch}, and the epoch's statistics. */
  private static List<float[]> read(DataLoader loader, int epoch, LoaderStats[] stats) {
    List<float[]> out = new ArrayList<>();
    try (BatchIterator it = loader.epoch(epoch)) {
      while (it.hasNext()) {
        Batch b = it.next();
        out.add(b.features().data().asFloat());
        out.add(b.labels().data().asFloat());
      }
      stats[0] = it.stats();
    }
    return out;
  }

  private static void assertSame(List<float[]> expected, List<float[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), what + ", array " + i);
    }
  }

  @Test
  void laterEpochsMakeNoGetAndAreBitIdenticalToAnUncachedRun() {
    Manifest manifest = manifest();
    LoaderStats[] stats = new LoaderStats[1];
    List<List<float[]>> plain = new ArrayList<>();
    try (DataLoader loader = loader(manifest).build()) {
      for (int e = 0; e < 3; e++) {
        plain.add(read(loader, e, stats));
      }
    }
    ObjectCache cache = ObjectCache.memory(64L << 20);
    try (DataLoader loader = loader(manifest).prefixCache(cache).build()) {
      assertSame(plain.get(0), read(loader, 0, stats), "epoch 0");
      assertEquals(SIZE, stats[0].prefixMisses());
      assertEquals(SIZE, stats[0].gets());
      for (int e = 1; e < 3; e++) {
        assertSame(plain.get(e), read(loader, e, stats), "epoch " + e);
        assertEquals(0, stats[0].gets(), "no GET in epoch " + e + ": " + stats[0]);
        assertEquals(SIZE, stats[0].prefixHits(), "epoch " + e);
        assertEquals(0, stats[0].prefixMisses());
      }
    }
    assertTrue(cache.sizeBytes() > 0);
  }

  @Test
  void aChangedEtagMissesAndTheNewObjectIsRead() {
    ObjectCache cache = ObjectCache.memory(64L << 20);
    LoaderStats[] stats = new LoaderStats[1];
    try (DataLoader loader = loader(manifest()).prefixCache(cache).build()) {
      read(loader, 0, stats);
    }
    byte[] changed = jpeg(photo(999, 70, 50, 20), 0.85f, false);
    store.put(PREFIX + key(5), changed);
    Manifest updated = manifest();
    List<float[]> cached;
    try (DataLoader loader = loader(updated).prefixCache(cache).build()) {
      cached = read(loader, 1, stats);
      assertEquals(1, stats[0].prefixMisses(), "only the changed object misses: " + stats[0]);
      assertEquals(1, stats[0].gets());
      assertEquals(SIZE - 1, stats[0].prefixHits());
    }
    try (DataLoader loader = loader(updated).build()) {
      assertSame(read(loader, 1, stats), cached, "the changed object's new content is used");
    }
  }

  @Test
  void aSmallBudgetHoldsAndBatchesStayIdentical() {
    Manifest manifest = manifest();
    long budget = 60_000; // room for about a third of the 40 prefix outputs (~4.8-14 KB each)
    ObjectCache cache = ObjectCache.memory(budget);
    LoaderStats[] stats = new LoaderStats[1];
    List<float[]> plain;
    try (DataLoader loader = loader(manifest).build()) {
      plain = read(loader, 2, stats);
    }
    try (DataLoader loader = loader(manifest).prefixCache(cache).build()) {
      read(loader, 0, stats);
      read(loader, 1, stats);
      assertTrue(cache.sizeBytes() <= budget, cache.sizeBytes() + " bytes held");
      assertSame(plain, read(loader, 2, stats), "epoch 2 with a partial cache");
      assertTrue(stats[0].prefixHits() > 0 && stats[0].prefixMisses() > 0, stats[0].toString());
      assertEquals(stats[0].prefixMisses(), stats[0].gets(), "a GET for every miss and none for a hit");
    }
  }

  @Test
  void aDiskCacheServesTheNextRun() {
    Manifest manifest = manifest();
    LoaderStats[] stats = new LoaderStats[1];
    List<float[]> first;
    try (ObjectCache disk = ObjectCache.disk(directory, 64L << 20);
         DataLoader loader = loader(manifest).prefixCache(disk).build()) {
      first = read(loader, 3, stats);
    }
    try (ObjectCache disk = ObjectCache.disk(directory, 64L << 20);
         DataLoader loader = loader(manifest).prefixCache(disk).build()) {
      assertSame(first, read(loader, 3, stats), "a new cache instance over the same directory");
      assertEquals(SIZE, stats[0].prefixHits(), stats[0].toString());
      assertEquals(0, stats[0].gets());
    }
  }

  @Test
  void aChainWithoutADeterministicPrefixIsRefusedAtBuild() {
    Transform<StoredObject, Features> random = Images.decode(3).andThen(Images.randomResizedCrop(32))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder()
        .manifest(manifest()).store(store).transform(random).batchSize(8).prefixCache(ObjectCache.memory(1 << 20))
        .build());
    assertTrue(e.getMessage().contains("deterministic"), e.getMessage());
  }

  @Test
  void theCodecRoundTripsExactlyAndRefusesGarbage() {
    Image image = TestImages.noise(3, 17, 9, 3);
    assertEquals(image, ImageCodec.INSTANCE.decode(ImageCodec.INSTANCE.encode(image)));
    Image resized = Images.resizeShorterSide(6).andThen(Images.horizontalFlip(1.0)).apply(image, TestImages.CONTEXT);
    Image back = ImageCodec.INSTANCE.decode(ImageCodec.INSTANCE.encode(resized));
    assertEquals(resized, back);
    assertEquals(resized.geometry(), back.geometry(), "boxes and masks still follow a cached image");
    assertTrue(!back.geometry().equals(ImageGeometry.identity(back.width(), back.height())));
    assertThrows(io.sluice.loader.SluiceException.class, () -> ImageCodec.INSTANCE.decode(new byte[20]));
  }
}
