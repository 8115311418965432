package io.sluice.spark;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import io.sluice.transforms.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Small labelled images in the embedded S3 server, and hashes of batches to compare runs by. */
public final class TestData {
  public static final String BUCKET = "sparkdata";
  static final List<String> CLASSES = List.of("red", "green", "blue");

  private TestData() {}

  /** The chain the tests train with: a random flip makes every epoch's augmentations differ. */
  public static TransformProvider chain() {
    return () -> Images.decode(3).andThen(Images.horizontalFlip(0.5)).andThen(Images.imageToTensor(1 / 255f));
  }

  /** A Spark context on {@code local[cores]}, bound to 127.0.0.1, without the web UI; stop it when done. */
  public static JavaSparkContext localSpark(String appName, int cores) {
    return new JavaSparkContext(new SparkConf().setMaster("local[" + cores + "]").setAppName(appName)
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
  }

  public static S3StoreSettings settings(EmbeddedS3 s3) {
    return S3StoreSettings.builder().endpoint(s3.endpoint()).region(s3.region()).pathStyle(true)
        .credentials(s3.accessKey(), s3.secretKey()).build();
  }

  /**
   * Uploads {@code count} 8x8 PNGs under {@code images/<class>/} (a noisy colour per class, a bright left edge so
   * flips show) and a ManifestFile listing them plus {@code extraKeys}; returns the manifest's URI.
   */
  public static String upload(EmbeddedS3 s3, String manifestName, int count, List<String> extraKeys) {
    s3.createBucket(BUCKET);
    Map<String, byte[]> objects = new LinkedHashMap<>();
    Random random = new Random(count);
    StringBuilder manifest = new StringBuilder("[{\"prefix\": \"s3://" + BUCKET + "/images/\"}");
    for (int i = 0; i < count; i++) {
      int c = i % CLASSES.size();
      String key = CLASSES.get(c) + "/" + i + ".png";
      objects.put("images/" + key, png(c, random));
      manifest.append(",\n\"").append(key).append('"');
    }
    for (String key : extraKeys) {
      manifest.append(",\n\"").append(key).append('"');
    }
    manifest.append("]\n");
    String manifestKey = "manifests/" + manifestName;
    objects.put(manifestKey, manifest.toString().getBytes(StandardCharsets.UTF_8));
    try (S3AsyncClient sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())).forcePathStyle(true)
        .build()) {
      List<CompletableFuture<?>> puts = new ArrayList<>();
      objects.forEach((key, bytes) -> puts.add(sdk.putObject(b -> b.bucket(BUCKET).key(key),
          AsyncRequestBody.fromBytes(bytes))));
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    }
    return "s3://" + BUCKET + "/" + manifestKey;
  }

  static byte[] png(int c, Random random) {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        int[] rgb = {random.nextInt(60), random.nextInt(60), random.nextInt(60)};
        rgb[c] = 150 + random.nextInt(100);
        if (x == 0) {
          rgb[(c + 1) % 3] = 255;
        }
        image.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A SHA-256 of a batch's features, labels and labels mask (values and shapes). */
  static String hash(INDArray features, INDArray labels, INDArray labelsMask) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (INDArray a : new INDArray[] {features, labels, labelsMask}) {
        if (a == null) {
          sha.update((byte) 0);
          continue;
        }
        sha.update(java.util.Arrays.toString(a.shape()).getBytes(StandardCharsets.UTF_8));
        float[] values = a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4);
        bytes.asFloatBuffer().put(values);
        sha.update(bytes.array());
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hashes of every batch a one-process loader of each rank gives in {@code epoch}, rank by rank. */
  static List<String> oneProcessHashes(Manifest manifest, ObjectStore store, int batchSize, long seed, int shards,
      int epoch) {
    List<String> hashes = new ArrayList<>();
    for (int rank = 0; rank < shards; rank++) {
      try (DataLoader loader = DataLoader.builder().manifest(manifest).store(store).transform(chain().create())
          .batchSize(batchSize).seed(seed).world(rank, shards).build();
          BatchIterator batches = loader.epoch(epoch)) {
        while (batches.hasNext()) {
          Batch batch = batches.next();
          org.nd4j.linalg.dataset.DataSet ds = batch.toDataSet();
          hashes.add(hash(ds.getFeatures(), ds.getLabels(), ds.getLabelsMaskArray()));
        }
      }
    }
    return hashes;
  }
}
