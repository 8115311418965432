package io.sluice.spark;

import io.sluice.transforms.Images;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;

/** The Spark example shown in README.md; {@code SparkReadmeTest} checks the two stay identical. */
final class SparkReadmeExample {
  private SparkReadmeExample() {}

  static void train(JavaSparkContext sc, MultiLayerConfiguration conf) {
    // README:begin
    SparkLoader data = SparkLoader.builder()
        .manifest(ManifestSource.at("s3://my-bucket/manifests/train.manifest"))
        .store(S3StoreSettings.builder().region("us-east-1").build()) // executors use the default credentials chain
        .transform(() -> Images.decode(3).andThen(Images.resize(64, 64)).andThen(Images.imageToTensor(1 / 255f)))
        .batchSize(64)
        .seed(42)
        .shards(sc.defaultParallelism()) // one shard per task slot: executors x cores
        .build();
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(sc, conf, data.trainingMaster(5).build()); // average every 5
    data.fit(net, 3); // 3 epochs, each shuffled and augmented afresh; every object fetched once per epoch
    // README:end
  }
}
