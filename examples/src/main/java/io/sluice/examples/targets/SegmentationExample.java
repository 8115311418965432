package io.sluice.examples.targets;

import io.sluice.loader.DataLoader;
import io.sluice.transforms.Images;
import io.sluice.transforms.Segmentation;
import java.io.PrintStream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tiny semantic segmentation: generated shapes with Ground Truth masks (fetched with each image, flipped and
 * cropped with it), as one-hot planes into a small fully convolutional network with DL4J's {@code CnnLossLayer}.
 *
 * <pre>
 * mvn -B -q -pl examples exec:java -Dexec.mainClass=io.sluice.examples.targets.SegmentationExample
 * </pre>
 */
public final class SegmentationExample {
  private SegmentationExample() {}

  public static void main(String[] args) {
    run(300, 6, 1, System.out);
  }

  /** Trains for {@code epochs} on {@code images} generated images; returns each epoch's mean loss. */
  public static double[] run(int images, int epochs, long seed, PrintStream out) {
    AnnotatedShapes.Data data = AnnotatedShapes.generate("mem://shapes/", images, seed);
    int classes = AnnotatedShapes.MASK_CLASSES.size();
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(5e-3))
        .convolutionMode(ConvolutionMode.Same).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
        .layer(new ConvolutionLayer.Builder(1, 1).nOut(classes).activation(Activation.IDENTITY).build())
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(28, 28, 3))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(data.store())
        .attributes(data.attributes())
        .transform(Images.decode(3).andThen(Images.randomCrop(28)).andThen(Images.horizontalFlip(0.5))
            .andThen(Images.imageToTensor(1 / 255f)))
        .targets(Segmentation.oneHot("mask-ref", AnnotatedShapes.MASK_CLASSES))
        .batchSize(16).seed(seed).build()) {
      return EpochLosses.train(net, loader.asDataSetIterator(), epochs, out, "segmentation");
    }
  }
}
