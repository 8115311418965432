package io.sluice.examples;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.World;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.Images;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A single-JVM illustration of sharding, not a way to scale out (for that, see {@link SparkDemo} and
 * {@code loader-spark}). Data-parallel training from S3 with N ranks on one machine: each rank is a thread with its own loader
 * reading its own shard ({@code world(rank, N)}), training its own replica; after every epoch the replicas'
 * parameters are averaged (synchronous model averaging). Per epoch it prints each rank's sample, pad and
 * batch counts and checks that the shards are disjoint and together cover the channel.
 *
 * <pre>
 * mvn -B -DskipTests -Pdemo verify -Ddemo.main=io.sluice.examples.MultiRankDemo -Ddemo.args="--ranks 4"
 * </pre>
 */
public final class MultiRankDemo {
  private final DemoOptions options;
  private final PrintStream out;

  MultiRankDemo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    DemoOptions options = DemoOptions.parse(args);
    if (options.help()) {
      System.out.println(DemoOptions.usage());
      return;
    }
    // Exits 1 (by the exception) if the shards of any epoch are not a partition of the channel. The accuracy is
    // printed, not enforced: averaging replicas once per epoch learns more slowly than one model does.
    new MultiRankDemo(options, System.out).run();
    System.exit(0);
  }

  /** What one rank read in one epoch. */
  record RankEpoch(int rank, int samples, int pads, int batches, BitSet seen) {}

  /** Runs the demo and returns the final validation accuracy of the averaged model. */
  double run() throws Exception {
    int ranks = options.ranks();
    Transform<StoredObject, Features> chain = Images.decode(3).andThen(Images.imageToTensor(1 / 255f));
    try (DemoBucket bucket = DemoBucket.open(options, out)) {
      DemoBucket.Channels channels = bucket.prepare();
      Manifest train = channels.train();
      ObjectStore store = bucket.store();
      MultiLayerNetwork global = TrainFromS3Demo.model(train.labels().size());
      List<DataLoader> loaders = new ArrayList<>();
      List<MultiLayerNetwork> replicas = new ArrayList<>();
      for (int r = 0; r < ranks; r++) {
        loaders.add(DataLoader.builder().manifest(train).store(store).transform(chain).batchSize(options.batchSize())
            .seed(options.seed()).world(World.of(r, ranks)).workers(1).build());
        replicas.add(global.clone());
      }
      ExecutorService threads = Executors.newFixedThreadPool(ranks);
      double accuracy = 0;
      try (DataLoader validation = DataLoader.builder().manifest(channels.validation()).store(store).transform(chain)
          .batchSize(options.batchSize()).channel("validation").build()) {
        out.printf(Locale.ROOT, "%d ranks, %d training images: each rank reads its own shard%n", ranks, train.size());
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
          int e = epoch;
          List<Future<RankEpoch>> running = new ArrayList<>();
          for (int r = 0; r < ranks; r++) {
            int rank = r;
            replicas.get(r).setParams(global.params().dup());
            running.add(threads.submit(() -> trainOneEpoch(rank, loaders.get(rank), replicas.get(rank), e)));
          }
          BitSet union = new BitSet(train.size());
          int overlaps = 0;
          for (Future<RankEpoch> f : running) {
            RankEpoch re = f.get();
            out.printf(Locale.ROOT, "  epoch %d rank %d: %d samples (%d pad), %d batches%n", epoch + 1, re.rank(),
                re.samples(), re.pads(), re.batches());
            BitSet both = (BitSet) union.clone();
            both.and(re.seen());
            overlaps += both.cardinality();
            union.or(re.seen());
          }
          INDArray average = replicas.get(0).params().dup();
          for (int r = 1; r < ranks; r++) {
            average.addi(replicas.get(r).params());
          }
          global.setParams(average.divi(ranks));
          Evaluation eval = global.evaluate(validation.asDataSetIterator());
          accuracy = eval.accuracy();
          out.printf(Locale.ROOT, "epoch %d: shards %s (%d of %d samples covered, %d read by two ranks); "
                  + "averaged model validation accuracy %.2f%%%n", epoch + 1,
              overlaps == 0 && union.cardinality() == train.size() ? "disjoint and complete" : "NOT DISJOINT/COMPLETE",
              union.cardinality(), train.size(), overlaps, accuracy * 100);
          if (overlaps != 0 || union.cardinality() != train.size()) {
            throw new IllegalStateException("shards are not a partition of the channel in epoch " + epoch);
          }
        }
      } finally {
        threads.shutdownNow();
        loaders.forEach(DataLoader::close);
      }
      return accuracy;
    }
  }

  private static RankEpoch trainOneEpoch(int rank, DataLoader loader, MultiLayerNetwork replica, int epoch) {
    BitSet seen = new BitSet();
    int samples = 0;
    int pads = 0;
    int batches = 0;
    try (BatchIterator it = loader.epoch(epoch)) {
      while (it.hasNext()) {
        Batch batch = it.next();
        for (int r = 0; r < batch.size(); r++) {
          if (batch.padded()[r]) {
            pads++;
          } else {
            seen.set(batch.indices()[r]);
            samples++;
          }
        }
        replica.fit(batch.toDataSet());
        batches++;
      }
    }
    return new RankEpoch(rank, samples, pads, batches, seen);
  }
}
