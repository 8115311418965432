package io.sluice.examples.targets;

import io.sluice.loader.DataLoader;
import io.sluice.loader.Target;
import io.sluice.transforms.Images;
import java.io.PrintStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Multi-label classification: which of circle, square and bar each generated image holds, read from a
 * Ground Truth multi-label job ({@code "shapes": [0, 2]} with its class map) as k-hot targets, into a small
 * network with sigmoid outputs and binary cross-entropy.
 *
 * <pre>
 * mvn -B -q -pl examples exec:java -Dexec.mainClass=io.sluice.examples.targets.MultiLabelExample
 * </pre>
 */
public final class MultiLabelExample {
  private MultiLabelExample() {}

  public static void main(String[] args) {
    run(400, 6, 1, System.out);
  }

  /** Trains for {@code epochs} on {@code images} generated images; returns each epoch's mean loss. */
  public static double[] run(int images, int epochs, long seed, PrintStream out) {
    AnnotatedShapes.Data data = AnnotatedShapes.generate("mem://shapes/", images, seed);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(5e-3)).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(AnnotatedShapes.SHAPES.size())
            .activation(Activation.SIGMOID).build())
        .setInputType(InputType.convolutional(AnnotatedShapes.SIZE, AnnotatedShapes.SIZE, 3))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(data.store())
        .attributes(data.attributes())
        .transform(Images.decode(3).andThen(Images.horizontalFlip(0.5)).andThen(Images.imageToTensor(1 / 255f)))
        .targets(Target.multiHot("shapes", AnnotatedShapes.SHAPES))
        .batchSize(16).seed(seed).build()) {
      return EpochLosses.train(net, loader.asDataSetIterator(), epochs, out, "multi-label");
    }
  }
}
