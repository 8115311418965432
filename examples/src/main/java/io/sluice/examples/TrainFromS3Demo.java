package io.sluice.examples;

import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.Images;
import java.io.PrintStream;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The demo: train a small CNN straight from S3.
 *
 * <p>It starts an in-process S3 server (or uses the one {@code --endpoint} names), generates a labelled
 * dataset of ten shape classes, uploads it under class prefixes, writes SageMaker manifests for the train
 * and validation channels, then trains through a Sluice {@link DataLoader} and prints, per epoch, images/s,
 * the time spent waiting for data, and validation accuracy.
 *
 * <pre>
 * mvn -B -DskipTests -Pdemo verify                                  # embedded S3
 * mvn -B -DskipTests -Pdemo verify -Ddemo.args="--endpoint http://127.0.0.1:9000 --bucket mine"
 * </pre>
 */
public final class TrainFromS3Demo {
  private static final int IMAGE_SIZE = DemoBucket.IMAGE_SIZE;

  private final DemoOptions options;
  private final PrintStream out;

  TrainFromS3Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    DemoOptions.launch(args, options -> new TrainFromS3Demo(options, System.out).run());
  }

  /** Runs the whole demo and returns the final validation accuracy. */
  double run() throws Exception {
    long start = System.nanoTime();
    try (DemoBucket bucket = DemoBucket.open(options, out)) {
      DemoBucket.Channels channels = bucket.prepare();
      return train(bucket.store(), channels.train(), channels.validation(), start);
    }
  }

  private double train(ObjectStore store, Manifest train, Manifest validation, long start) {
    Transform<StoredObject, Features> chain = Images.decode(3)
        .andThen(Images.resize(IMAGE_SIZE, IMAGE_SIZE))
        .andThen(Images.imageToTensor(1 / 255f));
    out.println("Transform chain: " + chain);
    MultiLayerNetwork model = model(train.labels().size());
    double accuracy = 0;
    try (DataLoader trainLoader = DataLoader.builder().manifest(train).store(store).transform(chain)
             .batchSize(options.batchSize()).seed(options.seed()).build();
         DataLoader validationLoader = DataLoader.builder().manifest(validation).store(store).transform(chain)
             .batchSize(options.batchSize()).channel("validation").build()) {
      DataSetIterator trainData = trainLoader.asDataSetIterator();
      DataSetIterator validationData = validationLoader.asDataSetIterator();
      out.println("epoch  images/s  data wait      of epoch   val accuracy  elapsed");
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        LoaderStats before = trainLoader.stats();
        model.fit(trainData);
        LoaderStats epochStats = trainLoader.stats().since(before);
        Evaluation eval = model.evaluate(validationData);
        accuracy = eval.accuracy();
        out.printf(Locale.ROOT, "%5d  %8.0f  %7.2f s  %10.1f%%  %12.2f%%  %6.1f s%n", epoch + 1,
            epochStats.samplesPerSecond(), epochStats.waitNanos() / 1e9, epochStats.waitFraction() * 100,
            accuracy * 100, (System.nanoTime() - start) / 1e9);
      }
      out.println("Loader totals: train " + trainLoader.stats());
    }
    return accuracy;
  }

  /** A small CNN for 32x32 RGB images. */
  static MultiLayerNetwork model(int classes) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(12345).updater(new Adam(2e-3)).weightInit(WeightInit.RELU)
        .list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).padding(1, 1).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).padding(1, 1).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(IMAGE_SIZE, IMAGE_SIZE, 3))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }
}
