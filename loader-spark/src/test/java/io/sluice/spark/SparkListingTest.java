package io.sluice.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.store.ObjectRef;
import io.sluice.manifest.tools.ChannelSplit;
import io.sluice.manifest.tools.ManifestWriter;
import io.sluice.s3.S3Listing;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * {@link SparkListing} in {@code local[2]} over the embedded S3 server: about 1,600 keys under 30 class folders (with
 * nested folders and objects at every level) listed by executor tasks equal the sequential listing, and the
 * manifests built from both are byte-identical.
 */
class SparkListingTest {
  private static final String BUCKET = "spark-listing";
  private static final String ROOT = "s3://" + BUCKET + "/images/";

  private static EmbeddedS3 s3;
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    List<String> keys = new ArrayList<>(List.of("images/readme.txt", "other/outside.jpg"));
    for (int c = 0; c < 30; c++) {
      for (int i = 0; i < 50; i++) {
        keys.add("images/class" + c + "/" + (i % 5 == 0 ? "x/" : i % 5 == 1 ? "x/y/" : "") + i + ".jpg");
      }
    }
    for (int i = 0; i < 1050; i++) {
      keys.add("images/big/" + i + ".jpg"); // a folder of more than one page
    }
    try (S3AsyncClient sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())).forcePathStyle(true)
        .build()) {
      for (int from = 0; from < keys.size(); from += 400) {
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (String key : keys.subList(from, Math.min(keys.size(), from + 400))) {
          puts.add(sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromString(key)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
      }
    }
    sc = TestData.localSpark("sluice-spark-listing-test", 2);
  }

  @AfterAll
  static void stop() {
    if (sc != null) {
      sc.stop();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static List<ObjectRef> sequential(String root) {
    try (S3ObjectStore store = TestData.settings(s3).create()) {
      return S3Listing.builder().store(store).concurrency(1).build().list(root).join();
    }
  }

  @Test
  void executorsListTheSameObjectsAsTheSequentialListing() {
    List<ObjectRef> expected = sequential(ROOT);
    assertEquals(1 + 30 * 50 + 1050, expected.size());
    for (SparkListing listing : List.of(SparkListing.builder().store(TestData.settings(s3)).build(),
        SparkListing.builder().store(TestData.settings(s3)).tasks(5).concurrency(1).depth(1).build(),
        SparkListing.builder().store(TestData.settings(s3)).depth(0).build())) {
      assertEquals(expected, listing.list(sc, ROOT), listing.toString());
    }
  }

  @Test
  void manifestsFromTheSparkListingAreByteIdentical(@TempDir Path dir) throws Exception {
    SparkListingExample.build(sc, TestData.settings(s3), ROOT, dir.resolve("spark"));
    ChannelSplit.builder().root(ROOT).suffixes(".jpg").seed(42).build().split(sequential(ROOT))
        .write(dir.resolve("sequential"), ManifestWriter.builder(ManifestFormat.AUGMENTED).build());
    List<String> files;
    try (Stream<Path> s = Files.list(dir.resolve("sequential"))) {
      files = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(5, files.size(), files.toString());
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("sequential").resolve(f)),
          Files.readAllBytes(dir.resolve("spark").resolve(f)), f);
    }
  }

  @Test
  void failureNamesTheRoot() {
    SluiceException e = assertThrows(SluiceException.class,
        () -> SparkListing.builder().store(TestData.settings(s3)).build().list(sc, "s3://no-such-bucket/images/"));
    assertTrue(e.getMessage().contains("s3://no-such-bucket/images/") && e.getMessage().contains("bucket does not exist"),
        e.getMessage());
    assertFalse(e.getMessage().contains(s3.secretKey()), e.getMessage());
    assertThrows(IllegalStateException.class, () -> SparkListing.builder().build());
    assertThrows(IllegalArgumentException.class, () -> SparkListing.builder().tasks(0));
  }

  @Test
  void readmeShowsTheCompiledExample() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> readme = Files.readAllLines(root.resolve("README.md"));
    int at = readme.indexOf("### Listing over Spark");
    assertTrue(at >= 0, "README.md has a 'Listing over Spark' section");
    int open = readme.subList(at, readme.size()).indexOf("```java") + at;
    List<String> shown = new ArrayList<>();
    for (int i = open + 1; !readme.get(i).equals("```"); i++) {
      shown.add(readme.get(i));
    }
    List<String> source = Files.readAllLines(
        root.resolve("loader-spark/src/test/java/io/sluice/spark/SparkListingExample.java"));
    List<String> example = source.subList(source.indexOf("    // README:begin") + 1,
        source.indexOf("    // README:end")).stream().map(l -> l.isBlank() ? "" : l.substring(4)).toList();
    assertEquals(example, shown, "README's Spark listing example and SparkListingExample.java differ");
  }
}
