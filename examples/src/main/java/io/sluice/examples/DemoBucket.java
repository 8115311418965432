package io.sluice.examples;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectStore;
import io.sluice.manifest.tools.ManifestWriter;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import io.sluice.spark.S3StoreSettings;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import me.tongfei.progressbar.ProgressBar;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The demos' bucket: an embedded S3 server (or the endpoint the flags name), the shapes dataset uploaded
 * under class prefixes, and its SageMaker manifests for the train and validation channels.
 */
final class DemoBucket implements AutoCloseable {
  static final int IMAGE_SIZE = 32;

  /** The two channels, read back from S3. */
  record Channels(Manifest train, Manifest validation) {}

  private final DemoOptions options;
  private final PrintStream out;
  private final EmbeddedS3 embedded;
  private final S3AsyncClient s3;
  private final ObjectStore store;
  private final URI endpoint;

  private DemoBucket(DemoOptions options, PrintStream out, EmbeddedS3 embedded, S3AsyncClient s3, ObjectStore store,
      URI endpoint) {
    this.endpoint = endpoint;
    this.options = options;
    this.out = out;
    this.embedded = embedded;
    this.s3 = s3;
    this.store = store;
  }

  /** Starts the embedded server unless {@code --endpoint} was given, and connects to it. */
  static DemoBucket open(DemoOptions options, PrintStream out) {
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
    S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(endpoint).forcePathStyle(true)
        .region(Region.of(options.region())).credentialsProvider(credentials).build();
    ObjectStore store = S3ObjectStore.builder().endpoint(endpoint).region(options.region()).credentials(credentials)
        .pathStyle(true).build();
    return new DemoBucket(options, out, embedded, s3, store, endpoint);
  }

  /** The store the loaders read through. */
  ObjectStore store() {
    return store;
  }

  /** The settings executors build their own store from (SparkDemo): same endpoint, region and credentials. */
  S3StoreSettings storeSettings() {
    S3StoreSettings.Builder settings = S3StoreSettings.builder().endpoint(endpoint).region(options.region())
        .pathStyle(true);
    if (embedded != null) {
      settings.credentials(embedded.accessKey(), embedded.secretKey());
    } else if (options.accessKey() != null) {
      settings.credentials(options.accessKey(), options.secretKey());
    }
    return settings.build();
  }

  /** Where the manifests are, e.g. {@code s3://sluice-demo/shapes/manifests/}. */
  String manifests() {
    return "s3://" + options.bucket() + "/" + options.prefix() + "manifests/";
  }

  /** Uploads the dataset unless {@code --skip-upload}, then reads both channels' manifests back from S3. */
  Channels prepare() throws IOException {
    String root = "s3://" + options.bucket() + "/" + options.prefix();
    if (!options.skipUpload()) {
      createBucket();
      upload(root);
    }
    Manifest train = Manifests.read(root + "manifests/train.manifest", store);
    LabelMap labels = train.labels();
    Manifest validation = Manifests.reader().labels(labels).build().read(root + "manifests/validation.manifest", store);
    out.printf(Locale.ROOT, "Manifests: train %d images, validation %d images, %d classes %s%n", train.size(),
        validation.size(), labels.size(), labels.names());
    return new Channels(train, validation);
  }

  private void createBucket() {
    try {
      s3.createBucket(b -> b.bucket(options.bucket())).join();
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof BucketAlreadyOwnedByYouException)
          && !String.valueOf(e.getCause()).contains("BucketAlreadyExists")) {
        throw e;
      }
    }
  }

  /** Generates the images, uploads them under class prefixes with a progress bar, and writes the manifests. */
  private void upload(String root) throws IOException {
    int n = options.images();
    ShapesDataset shapes = new ShapesDataset(IMAGE_SIZE, options.seed());
    Manifest.Builder train = Manifest.builder(root + "train/");
    Manifest.Builder validation = Manifest.builder(root + "validation/");
    Semaphore window = new Semaphore(64);
    List<CompletableFuture<?>> puts = new ArrayList<>();
    try (ProgressBar bar = Progress.start(out, "upload", n)) {
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
              bar.step();
            }));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    }
    Manifest trainManifest = train.build();
    put(options.prefix() + "manifests/train.manifest", manifestBytes(trainManifest));
    put(options.prefix() + "manifests/validation.manifest", manifestBytes(validation.build()));
    Path labelFile = Files.createTempFile("sluice-demo-labels", ".tsv");
    trainManifest.labels().write(labelFile);
    put(options.prefix() + "manifests/labels.tsv", Files.readAllBytes(labelFile));
    Files.delete(labelFile);
    out.println("Wrote " + root + "manifests/{train,validation}.manifest and labels.tsv");
  }

  private static byte[] manifestBytes(Manifest m) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ManifestWriter.builder(ManifestFormat.MANIFEST_FILE).build().write(m, bytes);
    return bytes.toByteArray();
  }

  private void put(String key, byte[] body) {
    s3.putObject(b -> b.bucket(options.bucket()).key(key), AsyncRequestBody.fromBytes(body)).join();
  }

  @Override
  public void close() {
    try {
      store.close();
      s3.close();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
