package io.sluice.s3;

import static io.sluice.loader.testing.EpochChecks.ids;
import static io.sluice.loader.testing.EpochChecks.readEpoch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.testing.EpochChecks.Delivered;
import io.sluice.loader.testing.SyntheticDataset;
import io.sluice.manifest.tools.ManifestWriter;
import io.sluice.s3.embedded.EmbeddedS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The whole loader over the S3 store against a real S3 server (s3proxy, in this JVM): manifests written to
 * and read from S3, objects fetched with GETs, batches checked sample by sample.
 */
class S3LoaderEndToEndTest {
  private static final String BUCKET = "training";
  private static final int SIZE = 230;
  private static final SyntheticDataset DATA = new SyntheticDataset("s3://" + BUCKET + "/images/", SIZE, 5);

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;
  private static S3ObjectStore store;
  private static Manifest manifest;

  @BeforeAll
  static void upload() throws IOException {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    sdk = TestBuckets.client(s3);
    TestBuckets.upload(sdk, DATA.objects());
    ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
    ManifestWriter.builder(ManifestFormat.MANIFEST_FILE).build().write(DATA.manifest(), manifestBytes);
    sdk.putObject(b -> b.bucket(BUCKET).key("manifests/train.manifest"),
        AsyncRequestBody.fromBytes(manifestBytes.toByteArray())).join();
    store = S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region()).credentials(credentials)
        .pathStyle(true).build();
    manifest = Manifests.readManifestFile("s3://" + BUCKET + "/manifests/train.manifest", store, null);
  }

  @AfterAll
  static void stop() {
    store.close();
    sdk.close();
    s3.close();
  }

  private static DataLoader loader(int batchSize, long seed) {
    return DataLoader.builder().manifest(manifest).store(store).transform(SyntheticDataset.identify())
        .batchSize(batchSize).seed(seed).maxInFlight(16).build();
  }

  @Test
  void manifestReadFromS3MatchesTheOneWritten() {
    assertEquals(DATA.manifest().digest(), manifest.digest());
    assertEquals(List.of("class0", "class1", "class2", "class3", "class4"), manifest.labels().names());
  }

  @ParameterizedTest(name = "batch size {0}")
  @ValueSource(ints = {10, 23, 32, 1, 230, 500})
  void everyEntryExactlyOncePerEpochWithCorrectLabels(int batchSize) {
    try (DataLoader loader = loader(batchSize, 11)) {
      assertEquals((SIZE + batchSize - 1) / batchSize, loader.batchesPerEpoch());
      for (int epoch = 0; epoch < 2; epoch++) {
        // readEpoch checks each row's label against the manifest and its features against its index.
        List<Delivered> delivered = readEpoch(loader, epoch);
        assertEquals(SIZE, delivered.size());
        assertEquals(IntStream.range(0, SIZE).boxed().collect(Collectors.toSet()), new TreeSet<>(ids(delivered)),
            "epoch " + epoch + " delivers every entry exactly once");
        for (Delivered d : delivered) {
          assertEquals(d.id() % 5, d.label(), "sample " + d.id() + " carries its class folder's label");
        }
      }
    }
  }

  @Test
  void sameSeedSameOrderAnotherSeedAnotherOrder() {
    List<Integer> first;
    List<Integer> again;
    List<Integer> other;
    try (DataLoader loader = loader(32, 5)) {
      first = ids(readEpoch(loader, 0));
    }
    try (DataLoader loader = loader(32, 5)) {
      again = ids(readEpoch(loader, 0));
    }
    try (DataLoader loader = loader(32, 6)) {
      other = ids(readEpoch(loader, 0));
    }
    assertEquals(first, again);
    assertNotEquals(first, other);
    assertEquals(new TreeSet<>(first), new TreeSet<>(other));
  }

  @Test
  void missingKeyFailsWithAnErrorNamingTheKey() {
    Manifest withMissing = Manifest.builder(manifest.prefix()).add("class0/000000.txt", "class0")
        .add("class1/does-not-exist.txt", "class1").add("class2/000002.txt", "class2").build();
    try (DataLoader loader = DataLoader.builder().manifest(withMissing).store(store)
        .transform(SyntheticDataset.identify()).batchSize(3).build(); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, it::next);
      String missing = "s3://" + BUCKET + "/images/class1/does-not-exist.txt";
      assertTrue(e.getMessage().contains(missing), e.getMessage());
      assertEquals(missing, e.key());
      assertFalse(e.retryable(), "a missing key will not appear by retrying");
    }
  }
}
