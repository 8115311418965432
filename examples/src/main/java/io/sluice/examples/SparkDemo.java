package io.sluice.examples;

import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import io.sluice.spark.ManifestSource;
import io.sluice.spark.SparkEpochStats;
import io.sluice.spark.SparkLoader;
import io.sluice.spark.TransformProvider;
import io.sluice.transforms.Images;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * The demo on Apache Spark: the same dataset and CNN as {@link TrainFromS3Demo}, trained by dl4j-spark with
 * parameter averaging, each Spark task streaming its shard from S3 through Sluice. JDK 17-21.
 *
 * <pre>
 * mvn -B -DskipTests -Pdemo verify -Ddemo.main=io.sluice.examples.SparkDemo                 # local[*], embedded S3
 * mvn -B -DskipTests -Pdemo verify -Ddemo.main=io.sluice.examples.SparkDemo -Ddemo.args="--master spark://host:7077"
 * </pre>
 */
public final class SparkDemo {
  private static final int AVERAGING_FREQUENCY = 5;

  private final DemoOptions options;
  private final PrintStream out;

  SparkDemo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    DemoOptions.launch(args, options -> new SparkDemo(options, System.out).run());
  }

  static TransformProvider chain() {
    return () -> Images.decode(3).andThen(Images.resize(DemoBucket.IMAGE_SIZE, DemoBucket.IMAGE_SIZE))
        .andThen(Images.imageToTensor(1 / 255f));
  }

  double run() throws Exception {
    long start = System.nanoTime();
    SparkConf conf = new SparkConf().setAppName("sluice-spark-demo").setIfMissing("spark.ui.enabled", "false");
    if (options.master() != null) {
      conf.setMaster(options.master());
    } else {
      conf.setIfMissing("spark.master", "local[*]"); // spark-submit's --master arrives as spark.master
    }
    if (conf.get("spark.master").startsWith("local")) {
      // In-process executors: keep Spark's own endpoints on the loopback interface.
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    try (DemoBucket bucket = DemoBucket.open(options, out); JavaSparkContext sc = new JavaSparkContext(conf)) {
      DemoBucket.Channels channels = bucket.prepare();
      SparkLoader data = SparkLoader.builder()
          .manifest(ManifestSource.at(bucket.manifests() + "train.manifest"))
          .store(bucket.storeSettings())
          .transform(chain())
          .batchSize(options.batchSize()).seed(options.seed()).shards(sc.defaultParallelism())
          .build();
      out.println("Spark " + sc.version() + " master " + sc.master() + ": " + data.shards()
          + " shards, parameters averaged every " + AVERAGING_FREQUENCY + " batches");
      SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, TrainFromS3Demo.model(channels.train().labels().size()),
          data.trainingMaster(AVERAGING_FREQUENCY).build());
      Transform<? super StoredObject, ? extends Features> validationChain = chain().create();
      double accuracy = 0;
      out.println("epoch  images/s  data wait      of epoch   val accuracy  elapsed");
      SparkEpochStats stats = null;
      try (DataLoader validation = DataLoader.builder().manifest(channels.validation()).store(bucket.store())
          .transform(validationChain).batchSize(options.batchSize()).channel("validation").build()) {
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
          stats = data.fitEpoch(net, epoch);
          Evaluation eval = net.getNetwork().evaluate(validation.asDataSetIterator());
          accuracy = eval.accuracy();
          // Data wait: the time a worker waited for its batches, averaged over the shards.
          out.printf(Locale.ROOT, "%5d  %8.0f  %7.2f s  %10.1f%%  %12.2f%%  %6.1f s%n", epoch + 1,
              stats.samplesPerSecond(), stats.dataWaitNanos() / 1e9 / stats.shards(), stats.waitFraction() * 100,
              accuracy * 100, (System.nanoTime() - start) / 1e9);
        }
      }
      out.println("Executors, last " + stats);
      return accuracy;
    }
  }
}
