package io.sluice.examples.targets;

import io.sluice.loader.DataLoader;
import io.sluice.transforms.Detection;
import io.sluice.transforms.Images;
import java.io.PrintStream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Tiny object detection: generated shapes with Ground Truth bounding-box annotations, read through the loader
 * (flipped at random, boxes following) in DL4J's {@code Yolo2OutputLayer} label layout on a 4x4 grid, and a
 * small YOLO-style network trained on them.
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests package
 * mvn -B -q -pl examples exec:java -Dexec.mainClass=io.sluice.examples.targets.DetectionExample
 * </pre>
 */
public final class DetectionExample {
  static final int GRID = 4;

  private DetectionExample() {}

  public static void main(String[] args) {
    run(400, 8, 1, System.out);
  }

  /** Trains for {@code epochs} on {@code images} generated images; returns each epoch's mean loss. */
  public static double[] run(int images, int epochs, long seed, PrintStream out) {
    AnnotatedShapes.Data data = AnnotatedShapes.generate("mem://shapes/", images, seed);
    int classes = AnnotatedShapes.SHAPES.size();
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(2e-3))
        .convolutionMode(ConvolutionMode.Same).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).activation(Activation.LEAKYRELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.LEAKYRELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.LEAKYRELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(1, 1).nOut(5 + classes).activation(Activation.IDENTITY).build())
        .layer(new Yolo2OutputLayer.Builder().boundingBoxPriors(Nd4j.create(new double[][] {{1.25, 1.25}})).build())
        .setInputType(InputType.convolutional(AnnotatedShapes.SIZE, AnnotatedShapes.SIZE, 3))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(data.store())
        .attributes(data.attributes())
        .transform(Images.decode(3).andThen(Images.horizontalFlip(0.5)).andThen(Images.imageToTensor(1 / 255f)))
        .targets(Detection.yolo("boxes", AnnotatedShapes.SHAPES, GRID, GRID, 0.5))
        .batchSize(32).seed(seed).build()) {
      return EpochLosses.train(net, loader.asDataSetIterator(), epochs, out, "detection");
    }
  }
}
