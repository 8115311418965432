package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.testing.SyntheticDataset;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** DL4J's contract for {@link DataSetIterator}, and DL4J training through it unchanged. */
class DataSetIteratorTest {

  private static DataLoader loader(SyntheticDataset data, Transform<io.sluice.loader.store.StoredObject, Features> t,
      int batch) {
    InMemoryObjectStore store = new InMemoryObjectStore();
    data.objects().forEach(store::put);
    return DataLoader.builder().manifest(data.manifest()).store(store).transform(t).batchSize(batch).seed(1).build();
  }

  private static List<Integer> firstColumn(DataSetIterator it) {
    List<Integer> ids = new ArrayList<>();
    while (it.hasNext()) {
      DataSet d = it.next();
      for (int r = 0; r < d.numExamples(); r++) {
        ids.add((int) d.getFeatures().getFloat(r, 0));
      }
    }
    return ids;
  }

  @Test
  void resetStartsTheNextEpochAndDescribesItself() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 45, 3);
    try (DataLoader loader = loader(data, SyntheticDataset.identify(), 10)) {
      DataSetIterator it = loader.asDataSetIterator();
      assertEquals(10, it.batch());
      assertEquals(2, it.inputColumns());
      assertEquals(3, it.totalOutcomes());
      assertEquals(List.of("class0", "class1", "class2"), it.getLabels());
      assertTrue(it.resetSupported());
      assertFalse(it.asyncSupported(), "the loader prefetches itself");
      it.reset(); // an untouched epoch stays epoch 0
      List<Integer> epoch0 = firstColumn(it);
      assertEquals(45, epoch0.size());
      assertFalse(it.hasNext());
      it.reset();
      List<Integer> epoch1 = firstColumn(it);
      assertEquals(45, epoch1.size());
      assertNotEquals(epoch0, epoch1);
      try (BatchIterator direct = loader.epoch(1)) {
        List<Integer> viaLoader = new ArrayList<>();
        direct.forEachRemaining(b -> {
          for (int i : b.indices()) {
            viaLoader.add(i);
          }
        });
        assertEquals(epoch1, viaLoader, "reset() moved to epoch 1");
      }
      assertThrows(UnsupportedOperationException.class, () -> it.next(3));
    }
  }

  @Test
  void preProcessorIsAppliedToEveryBatch() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 20, 2);
    try (DataLoader loader = loader(data, SyntheticDataset.identify(), 5)) {
      DataSetIterator it = loader.asDataSetIterator();
      it.setPreProcessor(ds -> ds.getFeatures().muli(0));
      assertTrue(it.getPreProcessor() != null);
      while (it.hasNext()) {
        assertEquals(0.0, it.next().getFeatures().sumNumber().doubleValue());
      }
    }
  }

  /** Class k's samples are noisy one-hot vectors at position k: a dense net learns it in a few epochs. */
  private static Transform<io.sluice.loader.store.StoredObject, Features> oneHotWithNoise(SyntheticDataset data) {
    return (in, ctx) -> {
      int id = Integer.parseInt(new String(in.bytes(), java.nio.charset.StandardCharsets.UTF_8));
      float[] v = new float[8];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (ctx.random().nextGaussian() * 0.1);
      }
      v[id % data.classes()] += 1f;
      return Features.of(v, 8);
    };
  }

  /** A dense net for the 8-feature, 4-class data of {@link #oneHotWithNoise}. */
  private static MultiLayerNetwork smallNet() {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.05)).list()
        .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  @Test
  void multiLayerNetworkFitsAndEvaluatesThroughTheIterator() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 600, 4);
    MultiLayerNetwork net = smallNet();
    try (DataLoader train = loader(data, oneHotWithNoise(data), 32)) {
      DataSetIterator it = train.asDataSetIterator();
      net.fit(it, 3);
      assertEquals(3 * 600, train.stats().samples(), "three full epochs were read");
      Evaluation eval = net.evaluate(it);
      assertEquals(600, eval.getNumRowCounter(), "evaluation saw one full epoch");
      assertTrue(eval.accuracy() > 0.95, "accuracy " + eval.accuracy());
    }
  }

  @Test
  void dataWaitListenerReportsWaitVersusComputeEveryNIterations() {
    SyntheticDataset data = new SyntheticDataset("mem://b/", 320, 4);
    MultiLayerNetwork net = smallNet();
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (DataLoader train = loader(data, oneHotWithNoise(data), 16)) {
      io.sluice.loader.dl4j.DataWaitListener listener = new io.sluice.loader.dl4j.DataWaitListener(train, 5, lines::add);
      net.setListeners(listener);
      net.fit(train.asDataSetIterator(), 2); // 40 iterations
    }
    assertEquals(7, lines.size(), "a report every 5 iterations after the first: " + lines);
    assertTrue(lines.get(0).matches("iterations 1-5: [\\d.]+ s, data wait [\\d.]+ s \\([\\d.]+%\\), compute [\\d.]+ s, \\d+ "
        + "samples/s, GET p50 [\\d.]+ ms p99 [\\d.]+ ms"), lines.get(0));
    try (DataLoader other = loader(data, oneHotWithNoise(data), 4)) {
      assertThrows(IllegalArgumentException.class, () -> new io.sluice.loader.dl4j.DataWaitListener(other, 0));
    }
  }
}
