package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.s3.FaultProxy.Fault;
import io.sluice.s3.embedded.EmbeddedS3;
import io.sluice.spark.LoaderTuning;
import io.sluice.spark.ManifestSource;
import io.sluice.spark.S3StoreSettings;
import io.sluice.spark.SparkEpochStats;
import io.sluice.spark.SparkLoader;
import io.sluice.spark.TestData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** 503 SlowDown answers injected in front of the S3 server while Spark trains: Sluice retries them on executors. */
class SparkFaultToleranceTest {

  @Test
  void slowDownsDuringSparkTrainingAreRetriedWithoutATaskFailure() throws Exception {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("sluice-spark-faults")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    int images = 60;
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start();
        FaultProxy proxy = FaultProxy.builder(s3.endpoint()).seed(13).rate(Fault.SLOW_DOWN_503, 0.1).start();
        JavaSparkContext sc = new JavaSparkContext(conf)) {
      String manifest = TestData.upload(s3, "faults.manifest", images, List.of());
      AtomicInteger failedTasks = new AtomicInteger();
      AtomicInteger tasks = new AtomicInteger();
      sc.sc().addSparkListener(new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          tasks.incrementAndGet();
          if (!(end.reason() instanceof Success$)) {
            failedTasks.incrementAndGet();
          }
        }
      });
      S3StoreSettings throughProxy = S3StoreSettings.builder().endpoint(proxy.endpoint()).region(s3.region())
          .pathStyle(true).credentials(s3.accessKey(), s3.secretKey()).build();
      SparkLoader data = SparkLoader.builder().manifest(ManifestSource.at(manifest)).store(throughProxy)
          .transform(TestData.chain()).tuning(LoaderTuning.defaults()).batchSize(6).seed(3).shards(2).build();
      MultiLayerConfiguration net = new NeuralNetConfiguration.Builder().seed(1).list()
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
              .build())
          .setInputType(InputType.convolutional(8, 8, 3)).build();
      SparkDl4jMultiLayer model = new SparkDl4jMultiLayer(sc, net, data.trainingMaster(3).build());
      s3.resetObjectGets();
      long retried = 0;
      for (int epoch = 0; epoch < 2; epoch++) {
        SparkEpochStats stats = data.fitEpoch(model, epoch);
        System.out.println(stats);
        retried += stats.retries();
        // Each image's GET and each retry; a hedge (a second GET for a slow one, on a busy machine) may add one
        // more when both answer.
        assertTrue(stats.gets() >= images + stats.retries() && stats.gets() <= images + stats.retries()
            + stats.hedges(), "epoch " + epoch + ": the executors counted each image's GET and each retry: " + stats);
        assertEquals(stats.retries(), stats.throttled(), "epoch " + epoch + ": every retry was for a 503");
        Map<String, Long> gets = s3.objectGets();
        gets.keySet().removeIf(key -> !key.startsWith(TestData.BUCKET + "/images/"));
        assertEquals(images, gets.size(), "epoch " + epoch);
        gets.forEach((key, count) -> assertEquals(1L, count, "server-side GETs of " + key));
        s3.resetObjectGets();
      }
      sc.sc().listenerBus().waitUntilEmpty();
      long slowDowns = proxy.injected(Fault.SLOW_DOWN_503);
      System.out.printf("%d tasks, %d failed; %d 503s injected, %d object GETs through the proxy%n", tasks.get(),
          failedTasks.get(), slowDowns, proxy.objectGets());
      assertTrue(slowDowns > 0, "503s were injected");
      // Besides the images: the manifest, read once by the driver and once by the executor JVM.
      assertEquals(2L * images + 2 + slowDowns, proxy.objectGets(), "each 503 cost exactly one more GET");
      assertEquals(0, failedTasks.get(), "no Spark task failed");
      assertEquals(slowDowns, retried, "the executors' retries, brought back by the accumulators, are the 503s");
      assertTrue(tasks.get() > 0);
    }
  }
}
