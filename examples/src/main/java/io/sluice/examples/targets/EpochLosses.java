package io.sluice.examples.targets;

import java.io.PrintStream;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Trains a network epoch by epoch and keeps the mean loss of each epoch's batches. */
final class EpochLosses {
  private EpochLosses() {}

  /** Fits {@code epochs} epochs of {@code batches}, printing and returning each epoch's mean loss. */
  static double[] train(MultiLayerNetwork net, DataSetIterator batches, int epochs, PrintStream out, String what) {
    double[] losses = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      batches.reset(); // the loader's iterator moves on to the next epoch (a new shuffle)
      double sum = 0;
      int n = 0;
      while (batches.hasNext()) {
        DataSet batch = batches.next();
        net.fit(batch);
        sum += net.score();
        n++;
      }
      losses[e] = sum / n;
      out.printf(Locale.ROOT, "%s epoch %d: mean loss %.4f over %d batches%n", what, e + 1, losses[e], n);
    }
    return losses;
  }
}
