package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.fetch.FailurePolicy;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.testing.SyntheticDataset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Targets made from manifest entries: exact tensors on hand-made Ground Truth style lines. */
class TargetsTest {
  private static final String PREFIX = "mem://b/";

  /** Ground Truth multi-label output with a class map, plus two numeric attributes. */
  private static String lines(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String ids = switch (i % 3) {
        case 0 -> "[0]";
        case 1 -> "[0, 2]";
        default -> "[]";
      };
      sb.append("{\"source-ref\": \"").append(PREFIX).append(i).append(".txt\", \"tags\": ").append(ids)
          .append(", \"tags-metadata\": {\"class-map\": {\"0\": \"sky\", \"2\": \"tree\"}, \"type\": "
              + "\"groundtruth/image-classification-multilabel\"}, \"age\": ").append(i)
          .append(", \"area\": ").append(i * 10 + 0.5).append("}\n");
    }
    return sb.toString();
  }

  private record Data(Manifest manifest, EntryAttributes attributes, InMemoryObjectStore store) {}

  private static Data data(String text) throws IOException {
    Manifest manifest = Manifests.reader().unlabelled().build()
        .readChannels(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "gt.manifest").get("train");
    EntryAttributes attributes = EntryAttributes.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        "gt.manifest", manifest, "source-ref");
    InMemoryObjectStore store = new InMemoryObjectStore();
    for (int i = 0; i < manifest.size(); i++) {
      store.put(manifest.uri(i), manifest.key(i).replace(".txt", "").getBytes(StandardCharsets.UTF_8));
    }
    return new Data(manifest, attributes, store);
  }

  private static DataLoader.Builder loader(Data d, int batch) {
    return DataLoader.builder().manifest(d.manifest()).store(d.store()).attributes(d.attributes())
        .transform(SyntheticDataset.identify()).batchSize(batch).seed(3).shuffle(false);
  }

  @Test
  void multiHotFollowsTheClassMapAndValuesAreScaled() throws IOException {
    Data d = data(lines(6));
    LabelMap classes = LabelMap.ordered(List.of("sky", "grass", "tree"));
    try (DataLoader loader = loader(d, 6).targets(Target.multiHot("tags", classes),
            Target.values(List.of("age", "area"), new float[] {1, 0}, new float[] {2, 10})).build();
        BatchIterator epoch = loader.epoch(0)) {
      Batch b = epoch.next();
      assertEquals(1, b.inputs().size());
      assertEquals(2, b.outputs().size());
      assertArrayEquals(new float[] {
          1, 0, 0,
          1, 0, 1,
          0, 0, 0,
          1, 0, 0,
          1, 0, 1,
          0, 0, 0}, b.outputs().get(0).data().asFloat());
      float[] values = b.outputs().get(1).data().asFloat();
      assertArrayEquals(new long[] {6, 2}, b.outputs().get(1).shape());
      for (int i = 0; i < 6; i++) {
        assertEquals((i - 1) / 2f, values[2 * i]);
        assertEquals((i * 10 + 0.5f) / 10f, values[2 * i + 1], 1e-6);
      }
    }
  }

  @Test
  void noTargetReadsEntriesWithoutALabel() throws IOException {
    Data d = data(lines(5));
    try (DataLoader loader = loader(d, 2).targets().build()) {
      var it = loader.asDataSetIterator();
      int rows = 0;
      while (it.hasNext()) {
        DataSet ds = it.next();
        assertNull(ds.getLabels());
        rows += ds.numExamples();
      }
      assertEquals(5, rows);
    }
  }

  @Test
  void theDefaultStillRefusesAnEntryWithoutALabel() throws IOException {
    Data d = data(lines(2));
    try (DataLoader loader = loader(d, 2).build(); BatchIterator epoch = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, epoch::next);
      assertTrue(e.getMessage().contains("has no label"), e.getMessage());
    }
  }

  @Test
  void badAttributesNameTheEntryAndLine() throws IOException {
    String text = lines(2).replace("\"age\": 1", "\"age\": \"old\"").replace("\"tags\": [0, 2]", "\"tags\": [0, 7]");
    Data d = data(text);
    try (DataLoader loader = loader(d, 2).targets(Target.values("age")).build(); BatchIterator epoch = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, epoch::next);
      assertTrue(e.getMessage().contains(PREFIX + "1.txt") && e.getMessage().contains("gt.manifest line 2")
          && e.getMessage().contains("\"old\", expected a number"), e.getMessage());
    }
    LabelMap classes = LabelMap.ordered(List.of("sky", "tree"));
    try (DataLoader loader = loader(d, 2).targets(Target.multiHot("tags", classes)).build();
        BatchIterator epoch = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, epoch::next);
      assertTrue(e.getMessage().contains("class id 7") && e.getMessage().contains("does not name"), e.getMessage());
    }
    try (DataLoader loader = loader(d, 2).targets(Target.values("age"))
            .fetchPolicy(FetchPolicy.builder().onFailure(FailurePolicy.skip(5, 0.9)).build()).build();
        BatchIterator epoch = loader.epoch(0)) {
      List<Integer> read = new ArrayList<>();
      epoch.forEachRemaining(b -> read.add(b.indices().length));
      assertEquals(List.of(1), read, "the bad entry is left out of its batch under the skip policy");
      assertEquals(1, loader.skipped().size());
    }
  }

  @Test
  void multiDataSetFeedsAComputationGraphWithTwoInputsAndTwoOutputs() throws IOException {
    Data d = data(lines(30));
    LabelMap classes = LabelMap.ordered(List.of("sky", "grass", "tree"));
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01))
        .graphBuilder()
        .addInputs("image", "numbers")
        .addLayer("a", new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.RELU).build(), "image")
        .addLayer("b", new DenseLayer.Builder().nIn(1).nOut(4).activation(Activation.RELU).build(), "numbers")
        .addVertex("merge", new MergeVertex(), "a", "b")
        .addLayer("tags", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(12).nOut(3)
            .activation(Activation.SIGMOID).build(), "merge")
        .addLayer("area", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(12).nOut(1)
            .activation(Activation.IDENTITY).build(), "merge")
        .setOutputs("tags", "area")
        .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    try (DataLoader loader = loader(d, 8).world(0, 4) // 30 entries over 4 ranks: 8 each, so pads
        .extraInputs(Target.values("age"))
        .targets(Target.multiHot("tags", classes), Target.values("area")).build()) {
      MultiDataSetIterator it = loader.asMultiDataSetIterator();
      MultiDataSet first = it.next();
      assertEquals(2, first.getFeatures().length);
      assertEquals(2, first.getLabels().length);
      assertArrayEquals(new long[] {8, 1}, first.getFeatures(1).shape());
      int pads = 0;
      for (int i = 0; i < 8; i++) {
        // input 2 is the entry's age; the identify transform's first feature is its id: they agree
        assertEquals(first.getFeatures(0).getFloat(i, 0), first.getFeatures(1).getFloat(i, 0));
        if (first.getLabelsMaskArray(0) != null && first.getLabelsMaskArray(0).getFloat(i, 0) == 0) {
          pads++;
        }
      }
      assertTrue(pads <= 1);
      it.reset();
      graph.fit(it, 2);
      assertEquals(2, graph.getEpochCount());
    }
  }

  @Test
  void entryAttributesRefuseADuplicateAndIgnoreOtherChannels() throws IOException {
    Data d = data(lines(2));
    String text = lines(2) + "{\"source-ref\": \"" + PREFIX + "0.txt\"}\n";
    var e = assertThrows(io.sluice.loader.manifest.ManifestException.class, () -> EntryAttributes.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "dup.manifest", d.manifest(), "source-ref"));
    assertTrue(e.getMessage().contains("dup.manifest:3:") && e.getMessage().contains("first on line 1"), e.getMessage());
    String other = lines(2) + "{\"source-ref\": \"" + PREFIX + "other.txt\", \"x\": 1}\n";
    EntryAttributes attributes = EntryAttributes.read(new ByteArrayInputStream(other.getBytes(StandardCharsets.UTF_8)),
        "o.manifest", d.manifest(), "source-ref");
    Map<String, Object> line = attributes.get(1);
    assertEquals(List.of(0L, 2L), line.get("tags"));
    assertEquals(10.5, line.get("area"));
  }

  /** A target reading one further object per entry, "<uri>.side", whose text is a number. */
  private record SideObject() implements Target {
    @Override
    public List<String> companions(Entry entry) {
      return List.of(entry.uri() + ".side");
    }

    @Override
    public Features make(Entry entry, Features features, SampleContext context) {
      String text = new String(entry.companion(entry.uri() + ".side").bytes(), StandardCharsets.UTF_8);
      return Features.of(new float[] {Float.parseFloat(text)}, 1);
    }
  }

  @Test
  void companionsGoThroughTheFetchChainWithCacheAndRetries() throws IOException {
    Data d = data(lines(12));
    for (int i = 0; i < d.manifest().size(); i++) {
      d.store().put(d.manifest().uri(i) + ".side", Integer.toString(100 + i).getBytes(StandardCharsets.UTF_8));
    }
    io.sluice.loader.testing.FaultyStore faulty = new io.sluice.loader.testing.FaultyStore(d.store(), 5, 0.1, 0.1, 0,
        0);
    try (DataLoader loader = DataLoader.builder().manifest(d.manifest()).store(faulty).attributes(d.attributes())
        .transform(SyntheticDataset.identify()).batchSize(4).seed(3)
        .cache(io.sluice.loader.fetch.ObjectCache.memory(1 << 20)).targets(new SideObject()).build()) {
      for (int epoch = 0; epoch < 2; epoch++) {
        try (BatchIterator it = loader.epoch(epoch)) {
          while (it.hasNext()) {
            Batch b = it.next();
            for (int r = 0; r < b.size(); r++) {
              assertEquals(100 + b.indices()[r], b.labels().getFloat(r, 0), "the entry's own companion");
            }
          }
        }
      }
      LoaderStats s = loader.stats();
      assertEquals(24, s.cacheMisses(), "epoch 0 fetched 12 images and 12 companions");
      assertEquals(24, s.cacheHits(), "epoch 1 found all 24 in the cache");
      assertTrue(faulty.injected() > 0, "faults were injected");
      assertEquals(faulty.injected(), s.retries(), "companion faults were retried like the images'");
    }
  }

  @Test
  void aMissingCompanionNamesItsUri() throws IOException {
    Data d = data(lines(2));
    try (DataLoader loader = loader(d, 2).targets(new SideObject()).build(); BatchIterator epoch = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, epoch::next);
      assertTrue(e.getMessage().contains(".txt.side"), e.getMessage());
    }
  }
}
