package io.sluice.transforms;

import static io.sluice.transforms.TestImages.encode;
import static io.sluice.transforms.TestImages.jpeg;
import static io.sluice.transforms.TestImages.photo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import io.sluice.transforms.datavec.DataVecImages;
import org.datavec.image.transform.FlipImageTransform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives bit-identical batches whether the chain runs on 1 worker thread or on 8, because every
 * random step draws only from the generator the loader derives from (seed, epoch, sample index).
 */
class DataVecDeterminismTest {
  private static final String PREFIX = "mem://determinism/";
  private static final int SIZE = 48;
  private static Manifest manifest;
  private static InMemoryObjectStore store;

  @BeforeAll
  static void dataset() {
    store = new InMemoryObjectStore();
    Manifest.Builder builder = Manifest.builder(PREFIX);
    for (int i = 0; i < SIZE; i++) {
      // Varied sizes and kinds: color and gray JPEGs, progressive ones, and a PNG now and then.
      int width = 40 + (i * 7) % 50;
      int height = 30 + (i * 11) % 60;
      byte[] bytes = i % 7 == 3 ? encode(photo(i, width, height, 10), "png") : jpeg(photo(i, width, height, 20),
          0.85f, i % 5 == 0);
      String key = "class" + (i % 3) + "/" + i + (i % 7 == 3 ? ".png" : ".jpg");
      store.put(PREFIX + key, bytes);
      builder.add(key, "class" + (i % 3));
    }
    manifest = builder.build();
  }

  /** Every random step of the catalogue, and a random DataVec transform. */
  private static Transform<StoredObject, Features> chain() {
    return Images.decode(3)
        .andThen(Images.randomResizedCrop(24))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.verticalFlip(0.2))
        .andThen(Images.pad(2))
        .andThen(Images.randomCrop(24))
        .andThen(Images.brightness(0.3f))
        .andThen(Images.contrast(0.3f))
        .andThen(DataVecImages.dataVec("flip(random mode)", () -> new FlipImageTransform(new Random())))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
  }

  private static List<float[]> read(int workers, long seed, int epoch) {
    List<float[]> batches = new ArrayList<>();
    try (DataLoader loader = DataLoader.builder().manifest(manifest).store(store).transform(chain())
        .batchSize(10).seed(seed).workers(workers).maxInFlight(workers == 1 ? 1 : 64).build();
         BatchIterator it = loader.epoch(epoch)) {
      while (it.hasNext()) {
        Batch batch = it.next();
        assertEquals(3, batch.features().size(1));
        batches.add(batch.features().data().asFloat());
        batches.add(batch.labels().data().asFloat());
      }
    }
    return batches;
  }

  @Test
  void oneWorkerAndEightWorkersGiveBitIdenticalBatches() {
    for (int epoch = 0; epoch < 2; epoch++) {
      List<float[]> one = read(1, 42, epoch);
      List<float[]> eight = read(8, 42, epoch);
      assertEquals(one.size(), eight.size());
      for (int i = 0; i < one.size(); i++) {
        assertArrayEquals(one.get(i), eight.get(i), "epoch " + epoch + " array " + i);
        assertEquals(Arrays.hashCode(one.get(i)), Arrays.hashCode(eight.get(i)));
      }
    }
  }

  @Test
  void anotherSeedOrEpochGivesOtherBatches() {
    List<float[]> reference = read(2, 42, 0);
    assertFalse(Arrays.equals(reference.get(0), read(2, 43, 0).get(0)));
    assertFalse(Arrays.equals(reference.get(0), read(2, 42, 1).get(0)));
  }
}
