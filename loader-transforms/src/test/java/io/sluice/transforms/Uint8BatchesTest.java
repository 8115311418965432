package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.dl4j.ByteImageNormalizer;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.StoredObject;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/** uint8 batches hold exactly the pixels, and the normalizer after transfer gives the float32 path's values. */
class Uint8BatchesTest {
  private static final String PREFIX = "mem://u8/";
  private static final float[] MEAN = {0.5f, 0.4f, 0.3f};
  private static final float[] STD = {0.2f, 0.25f, 0.3f};

  private static DataLoader loader(Transform<StoredObject, Features> chain, boolean uint8) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    Manifest.Builder b = Manifest.builder(PREFIX);
    for (int i = 0; i < 10; i++) {
      store.put(PREFIX + i + ".png", TestImages.encode(TestImages.photo(i, 20 + i, 18, 30), "png"));
      b.add(i + ".png", "c" + (i % 2));
    }
    return DataLoader.builder().manifest(b.build()).store(store).transform(chain).batchSize(4).seed(5)
        .uint8Features(uint8).build();
  }

  @Test
  void uint8BatchesHoldThePixelsAndNormalizeLikeFloat32() {
    Transform<StoredObject, Image> images = Images.decode(3).andThen(Images.randomResizedCrop(16))
        .andThen(Images.horizontalFlip(0.5));
    try (DataLoader bytes = loader(images.andThen(Images.byteTensor(TensorLayout.CHW)), true);
        DataLoader floats = loader(images.andThen(Images.imageToTensor(1f)), false);
        DataLoader normalized = loader(images.andThen(Images.normalizeToTensor(MEAN, STD)), false);
        BatchIterator b = bytes.epoch(0); BatchIterator f = floats.epoch(0); BatchIterator n = normalized.epoch(0)) {
      int batches = 0;
      while (b.hasNext()) {
        Batch byteBatch = b.next();
        Batch floatBatch = f.next();
        Batch normalizedBatch = n.next();
        assertEquals(DataType.UINT8, byteBatch.features().dataType());
        assertEquals(byteBatch.features().length(), byteBatch.features().data().length());
        assertArrayEquals(floatBatch.features().data().asFloat(),
            byteBatch.features().castTo(DataType.FLOAT).data().asFloat(), "the same pixels, as bytes");
        assertEquals(floatBatch.labels(), byteBatch.labels());
        DataSet ds = byteBatch.toDataSet();
        ByteImageNormalizer.normalize(1 / 255f, MEAN, STD).preProcess(ds);
        assertEquals(DataType.FLOAT, ds.getFeatures().dataType());
        float[] expected = normalizedBatch.features().data().asFloat();
        float[] actual = ds.getFeatures().data().asFloat();
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], actual[i], 1e-5, "value " + i);
        }
        batches++;
      }
      assertEquals(3, batches);
    }
  }

  @Test
  void float32FeaturesRefuseAUint8Loader() {
    try (DataLoader loader = loader(Images.decode(3).andThen(Images.resize(8, 8)).andThen(Images.imageToTensor(1f)),
        true); BatchIterator epoch = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, epoch::next);
      assertTrue(e.getMessage().contains("byteTensor"), e.getMessage());
    }
  }
}
