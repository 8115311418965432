package io.sluice.examples;

import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import io.sluice.transforms.Images;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

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
  private static final int IMAGE_SIZE = 32;

  private final DemoOptions options;
  private final PrintStream out;

  TrainFromS3Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(DemoOptions.usage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(DemoOptions.usage());
      return;
    }
    double accuracy = new TrainFromS3Demo(options, System.out).run();
    if (accuracy < options.minAccuracy()) {
      System.err.printf(Locale.ROOT, "validation accuracy %.3f is below the required %.3f%n", accuracy,
          options.minAccuracy());
      System.exit(1);
    }
    System.exit(0);
  }

  /** Runs the whole demo and returns the final validation accuracy. */
  double run() throws Exception {
    long start = System.nanoTime();
    EmbeddedS3 embedded = null;
    URI endpoint = options.endpoint();
    AwsCredentialsProvider credentials;
    if (endpoint == null) {
      embedded = EmbeddedS3.builder().start();
      endpoint = embedded.endpoint();
      credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(embedded.accessKey(), embedded.secretKey()));
      out.println("Started embedded S3 (s3proxy) at " + endpoint);
    } else if (options.accessKey() != null) {
      credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(options.accessKey(), options.secretKey()));
    } else {
      credentials = DefaultCredentialsProvider.builder().build();
    }
    try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(endpoint).forcePathStyle(true)
        .region(Region.of(options.region())).credentialsProvider(credentials).build();
         ObjectStore store = S3ObjectStore.builder().endpoint(endpoint).region(options.region())
             .credentials(credentials).pathStyle(true).build()) {
      String root = "s3://" + options.bucket() + "/" + options.prefix();
      if (!options.skipUpload()) {
        createBucket(s3);
        upload(s3, root);
      }
      Manifest train = Manifests.readManifestFile(root + "manifests/train.manifest", store, null);
      LabelMap labels = train.labels();
      Manifest validation = Manifests.readManifestFile(root + "manifests/validation.manifest", store, labels);
      out.printf(Locale.ROOT, "Manifests: train %d images, validation %d images, %d classes %s%n", train.size(),
          validation.size(), labels.size(), labels.names());
      return train(store, train, validation, start);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private void createBucket(S3AsyncClient s3) {
    try {
      s3.createBucket(b -> b.bucket(options.bucket())).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (!(e.getCause() instanceof BucketAlreadyOwnedByYouException)
          && !String.valueOf(e.getCause()).contains("BucketAlreadyExists")) {
        throw e;
      }
    }
  }

  /** Generates the images, uploads them under class prefixes with a progress bar, and writes the manifests. */
  private void upload(S3AsyncClient s3, String root) throws IOException {
    int n = options.images();
    ShapesDataset shapes = new ShapesDataset(IMAGE_SIZE, options.seed());
    Manifest.Builder train = Manifest.builder(root + "train/");
    Manifest.Builder validation = Manifest.builder(root + "validation/");
    ProgressBar bar = new ProgressBar(out, "upload", n);
    Semaphore window = new Semaphore(64);
    AtomicInteger done = new AtomicInteger();
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String className = shapes.className(i);
      // Every fifth image of each class goes to validation: a stratified 80/20 split.
      boolean isValidation = (i / ShapesDataset.CLASSES.size()) % 5 == 4;
      String key = className + "/" + String.format("%06d", i) + ".png";
      (isValidation ? validation : train).add(key, className);
      String objectKey = options.prefix() + (isValidation ? "validation/" : "train/") + key;
      window.acquireUninterruptibly();
      puts.add(s3.putObject(b -> b.bucket(options.bucket()).key(objectKey).contentType("image/png"),
          AsyncRequestBody.fromBytes(shapes.png(i))).whenComplete((r, e) -> {
            window.release();
            bar.update(done.incrementAndGet());
          }));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    Manifest trainManifest = train.build();
    put(s3, options.prefix() + "manifests/train.manifest", manifestBytes(trainManifest));
    put(s3, options.prefix() + "manifests/validation.manifest", manifestBytes(validation.build()));
    Path labelFile = Files.createTempFile("sluice-demo-labels", ".tsv");
    trainManifest.labels().write(labelFile);
    put(s3, options.prefix() + "manifests/labels.tsv", Files.readAllBytes(labelFile));
    Files.delete(labelFile);
    out.println("Wrote " + root + "manifests/{train,validation}.manifest and labels.tsv");
  }

  private static byte[] manifestBytes(Manifest m) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Manifests.writeManifestFile(m, bytes);
    return bytes.toByteArray();
  }

  private void put(S3AsyncClient s3, String key, byte[] body) {
    s3.putObject(b -> b.bucket(options.bucket()).key(key), AsyncRequestBody.fromBytes(body)).join();
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
             .batchSize(options.batchSize()).shuffle(false).build()) {
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
