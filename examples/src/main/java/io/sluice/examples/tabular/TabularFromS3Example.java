package io.sluice.examples.tabular;

import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import io.sluice.transforms.Records;
import io.sluice.transforms.Transforms;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.datavec.api.transform.MathOp;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.schema.Schema;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The tabular path: records in S3 through a DataVec {@link TransformProcess} into feature vectors, and a DL4J
 * classifier trained on them.
 *
 * <p>It starts an in-process S3 server, uploads a flower dataset (see {@link FlowerRecords}) with one record per
 * object: the training channel as CSV lines under {@code train/<species>/}, the validation channel as JSON
 * Lines under {@code validation/<species>/}. Labels come from the manifests (the class prefixes); the records'
 * own {@code species} column is dropped by the process, with the id, while the site becomes a one-hot vector
 * and the measurements are scaled. Both channels run the same process; only the syntax differs.
 *
 * <pre>
 * mvn -B -DskipTests -Pdemo verify -pl examples -Ddemo.main=io.sluice.examples.tabular.TabularFromS3Example
 * </pre>
 */
public final class TabularFromS3Example {
  private static final String BUCKET = "tabular-demo";
  private static final int RECORDS = 1200;
  private static final int EPOCHS = 15;

  private TabularFromS3Example() {}

  /** The columns of every record, as written, and what is done to them. */
  static TransformProcess process() {
    Schema schema = new Schema.Builder()
        .addColumnString("id")
        .addColumnsDouble("sepalLength", "sepalWidth", "petalLength", "petalWidth")
        .addColumnCategorical("site", FlowerRecords.SITES)
        .addColumnCategorical("species", FlowerRecords.SPECIES)
        .build();
    return new TransformProcess.Builder(schema)
        .removeColumns("id", "species")             // the label comes from the manifest
        .doubleMathOp("sepalLength", MathOp.Divide, 8)  // rough scaling to about [0, 1]
        .doubleMathOp("sepalWidth", MathOp.Divide, 5)
        .doubleMathOp("petalLength", MathOp.Divide, 7)
        .doubleMathOp("petalWidth", MathOp.Divide, 3)
        .categoricalToOneHot("site")                // three 0/1 columns
        .build();
  }

  public static void main(String[] args) throws Exception {
    FlowerRecords flowers = new FlowerRecords(7);
    TransformProcess process = process();
    Transform<StoredObject, Features> trainChain = Records.csv(process);
    Transform<StoredObject, Features> validationChain = Records.jsonLines(process);
    System.out.println("Train chain:      " + trainChain);
    System.out.println("Validation chain: " + validationChain);
    System.out.println("Cache key of the train chain: " + Transforms.cacheKey(trainChain));
    int features = process.getFinalSchema().numColumns();

    try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
      s3.createBucket(BUCKET);
      StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
          AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
      Manifest.Builder train = Manifest.builder("s3://" + BUCKET + "/train/");
      Manifest.Builder validation = Manifest.builder("s3://" + BUCKET + "/validation/");
      try (S3AsyncClient client = S3AsyncClient.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
          .region(Region.of(s3.region())).credentialsProvider(credentials).build()) {
        Semaphore window = new Semaphore(64);
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
          String species = flowers.species(i);
          boolean isValidation = (i / FlowerRecords.SPECIES.size()) % 5 == 4; // 1 in 5 of each species
          String key = species + "/" + String.format("%05d", i) + (isValidation ? ".json" : ".csv");
          (isValidation ? validation : train).add(key, species);
          byte[] body = (isValidation ? flowers.json(i) : flowers.csv(i)).getBytes(StandardCharsets.UTF_8);
          window.acquireUninterruptibly();
          puts.add(client.putObject(b -> b.bucket(BUCKET).key((isValidation ? "validation/" : "train/") + key),
              AsyncRequestBody.fromBytes(body)).whenComplete((r, e) -> window.release()));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
      }
      Manifest trainManifest = train.build();
      Manifest validationManifest = validation.build();
      System.out.printf(Locale.ROOT, "Uploaded %d training records (CSV) and %d validation records (JSON Lines)%n",
          trainManifest.size(), validationManifest.size());

      ObjectStore store = S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region())
          .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).build();
      MultiLayerNetwork model = model(features, FlowerRecords.SPECIES.size());
      try (DataLoader trainLoader = DataLoader.builder().manifest(trainManifest).store(store)
               .transform(trainChain).batchSize(32).seed(42).build();
           DataLoader validationLoader = DataLoader.builder().manifest(validationManifest).store(store)
               .transform(validationChain).batchSize(64).shuffle(false).build()) {
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
          model.fit(trainLoader.asDataSetIterator());
          if (epoch % 5 == 0) {
            Evaluation evaluation = model.evaluate(validationLoader.asDataSetIterator());
            System.out.printf(Locale.ROOT, "epoch %2d: validation accuracy %.1f%%%n", epoch,
                100 * evaluation.accuracy());
          }
        }
      }
    }
  }

  /** A small multilayer perceptron: {@code features} inputs, one hidden layer, {@code classes} outputs. */
  static MultiLayerNetwork model(int features, int classes) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(12345).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER)
        .list()
        .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.feedForward(features))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }
}
