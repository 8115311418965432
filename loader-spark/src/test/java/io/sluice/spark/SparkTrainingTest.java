package io.sluice.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.DataLoader;
import io.sluice.loader.fetch.FailurePolicy;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.store.ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * dl4j-spark in {@code local[2]} training from the embedded S3 server through {@link SparkLoader}: GETs counted at
 * the server, batches hashed against one-process loaders.
 */
class SparkTrainingTest {
  static final int IMAGES = 96;
  static final int BATCH = 8;
  static final int SHARDS = 2;
  static final long SEED = 7;
  /** Every minibatch a worker trained on (same JVM in local mode). */
  static final ConcurrentLinkedQueue<String> TRAINED = new ConcurrentLinkedQueue<>();

  static EmbeddedS3 s3;
  static JavaSparkContext sc;
  static String manifestUri;

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    manifestUri = TestData.upload(s3, "train.manifest", IMAGES, List.of());
    sc = TestData.localSpark("sluice-spark-test", SHARDS);
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static SparkLoader loader(String manifest, int batchSize, LoaderTuning tuning) {
    return SparkLoader.builder().manifest(ManifestSource.at(manifest)).store(TestData.settings(s3))
        .transform(TestData.chain()).tuning(tuning).batchSize(batchSize).seed(SEED).shards(SHARDS).build();
  }

  /** GETs of sample objects since the last reset, by key. */
  private static Map<String, Long> imageGets() {
    Map<String, Long> gets = new TreeMap<>(s3.objectGets());
    gets.keySet().removeIf(key -> !key.startsWith(TestData.BUCKET + "/images/"));
    return gets;
  }

  private static List<List<String>> reference(SparkLoader data, int epochs) {
    List<List<String>> hashes = new ArrayList<>();
    try (ObjectStore store = TestData.settings(s3).create()) {
      for (int epoch = 0; epoch < epochs; epoch++) {
        hashes.add(sorted(TestData.oneProcessHashes(data.manifest(), store, BATCH, SEED, SHARDS, epoch)));
      }
    }
    return hashes;
  }

  private static List<String> sorted(List<String> hashes) {
    List<String> copy = new ArrayList<>(hashes);
    Collections.sort(copy);
    return copy;
  }

  private static void assertEpoch(int epoch, List<String> expectedHashes) {
    Map<String, Long> gets = imageGets();
    assertEquals(IMAGES, gets.size(), "epoch " + epoch + ": every object was fetched");
    gets.forEach((key, count) -> assertEquals(1L, count, "epoch " + epoch + ": GETs of " + key));
    assertEquals(expectedHashes, sorted(new ArrayList<>(TRAINED)),
        "epoch " + epoch + ": the workers trained on exactly the one-process batches");
    System.out.printf("epoch %d: %d objects, GETs per object min %d max %d, %d batches trained%n", epoch,
        gets.size(), Collections.min(gets.values()), Collections.max(gets.values()), TRAINED.size());
    s3.resetObjectGets();
    TRAINED.clear();
  }

  /** What the executors' accumulators brought back for one epoch of {@link #IMAGES} images, without faults. */
  private static void assertCounted(SparkEpochStats stats, int epoch, int batches) {
    System.out.println(stats);
    assertEquals(epoch, stats.epoch());
    assertEquals(SHARDS, stats.shards());
    assertEquals(IMAGES, stats.samples(), "rows handed to the workers");
    assertEquals(batches, stats.batches());
    assertTrue(stats.gets() >= IMAGES && stats.gets() <= IMAGES + stats.hedges(),
        "one GET per image (and one per hedge at most), as counted by the executors' loaders: " + stats);
    assertEquals(0, stats.retries());
    assertEquals(0, stats.skipped());
    assertTrue(stats.bytes() > IMAGES * 50L, "bytes received: " + stats.bytes());
    assertTrue(stats.dataWaitNanos() > 0, "the first batch of each round is waited for");
    assertTrue(stats.waitFraction() > 0 && stats.waitFraction() <= 1, stats.toString());
  }

  @Test
  void multiLayerNetworkTrainsOnEachObjectOncePerEpochWithTheOneProcessBatches() {
    SparkLoader data = loader(manifestUri, BATCH, LoaderTuning.defaults());
    int epochs = 2;
    List<List<String>> expected = reference(data, epochs);
    assertNotEquals(expected.get(0), expected.get(1), "epochs are shuffled and augmented afresh");
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01))
        .weightInit(WeightInit.XAVIER).list()
        .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(TestData.CLASSES.size())
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(8, 8, 3)).build();
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, conf,
        data.trainingMaster(4).trainingHooks(new RecordingHook()).build());
    assertEquals(6, data.batchesPerShard(0));
    s3.resetObjectGets();
    TRAINED.clear();
    for (int epoch = 0; epoch < epochs; epoch++) {
      SparkEpochStats stats = data.fitEpoch(net, epoch);
      assertEpoch(epoch, expected.get(epoch));
      assertCounted(stats, epoch, 2 * 6);
    }
    try (ObjectStore store = TestData.settings(s3).create();
        DataLoader validation = DataLoader.builder().manifest(data.manifest()).store(store)
            .transform(TestData.chain().create()).batchSize(32).channel("validation").build()) {
      Evaluation evaluation = net.getNetwork().evaluate(validation.asDataSetIterator());
      System.out.printf("MultiLayerNetwork accuracy after %d epochs: %.3f%n", epochs, evaluation.accuracy());
      assertTrue(evaluation.accuracy() >= 0.9, "accuracy " + evaluation.accuracy());
    }
  }

  @Test
  void computationGraphTrainsOnEachObjectOncePerEpochWithTheOneProcessBatches() {
    SparkLoader data = loader(manifestUri, BATCH, LoaderTuning.defaults());
    int epochs = 2;
    List<List<String>> expected = reference(data, epochs);
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01))
        .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("image")
        .addLayer("hidden", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "image")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(TestData.CLASSES.size())
            .activation(Activation.SOFTMAX).build(), "hidden")
        .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 3)).build();
    SparkComputationGraph graph = new SparkComputationGraph(sc, conf,
        data.trainingMaster(3).trainingHooks(new RecordingHook()).build());
    s3.resetObjectGets();
    TRAINED.clear();
    for (int epoch = 0; epoch < epochs; epoch++) {
      SparkEpochStats stats = data.fitEpoch(graph, epoch);
      assertEpoch(epoch, expected.get(epoch));
      assertCounted(stats, epoch, 2 * data.batchesPerShard(epoch));
    }
  }

  @Test
  void aSampleThatCannotBeLoadedFailsTheJobNamingItsKeyAndCause() {
    String broken = TestData.upload(s3, "broken.manifest", 12, List.of("red/missing.png"));
    SparkLoader data = loader(broken, 4, LoaderTuning.defaults());
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
            .build())
        .setInputType(InputType.convolutional(8, 8, 3)).build();
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, conf, data.trainingMaster(2).build());
    Exception e = assertThrows(Exception.class, () -> data.fit(net, 1));
    String message = e.getMessage();
    assertTrue(message.contains("s3://" + TestData.BUCKET + "/images/red/missing.png"), message);
    assertTrue(message.contains("object not found"), message);
  }

  @Test
  void theSkipPolicyWorksOnExecutors() {
    String broken = TestData.upload(s3, "skip.manifest", 12, List.of("green/missing.png"));
    S3StoreSettings settings = TestData.settings(s3);
    // A lambda provider, not a value: each task builds its own store and closes it when the task ends.
    StoreProvider perTask = () -> settings.create();
    SparkLoader data = SparkLoader.builder().manifest(ManifestSource.at(broken)).store(perTask)
        .transform(TestData.chain()).batchSize(4).seed(SEED).shards(SHARDS)
        .tuning(builder -> builder.fetchPolicy(FetchPolicy.builder().onFailure(FailurePolicy.skip(1, 0.5)).build()))
        .build();
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
            .build())
        .setInputType(InputType.convolutional(8, 8, 3)).build();
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, conf,
        data.trainingMaster(2).trainingHooks(new RecordingHook()).build());
    TRAINED.clear();
    data.fit(net, 1);
    assertEquals(2 * data.batchesPerShard(0), TRAINED.size(), "every batch trained, as planned");
    TRAINED.clear();
  }

  /** Records a hash of each minibatch a worker is about to train on. */
  static final class RecordingHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
      TRAINED.add(TestData.hash(minibatch.getFeatures(), minibatch.getLabels(), minibatch.getLabelsMaskArray()));
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {}

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
      TRAINED.add(TestData.hash(minibatch.getFeatures(0), minibatch.getLabels(0),
          minibatch.getLabelsMaskArrays() == null ? null : minibatch.getLabelsMaskArray(0)));
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {}
  }
}
