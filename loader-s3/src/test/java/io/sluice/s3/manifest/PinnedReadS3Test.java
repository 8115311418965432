package io.sluice.s3.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectNotFoundException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.SyntheticDataset;
import io.sluice.manifest.tools.ChannelSplit;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Pinning against a real S3 server (s3proxy in this JVM): a manifest built from a listing reads exactly the
 * objects it recorded, and says so when one changed or vanished.
 */
class PinnedReadS3Test {
  private static final String BUCKET = "pinned";
  private static final String VERSIONED = "versioned";

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;
  private static ObjectStore store;

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    s3.createBucket(VERSIONED);
    sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .forcePathStyle(true).build();
    sdk.putBucketVersioning(b -> b.bucket(VERSIONED)
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))).join();
    store = S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region())
        .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).maxAttempts(1).build();
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (sdk != null) {
      sdk.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  /** Uploads {@code class<i % 2>/<i>.txt} holding the text {@code i}, concurrently. */
  private static void upload(String bucket, String prefix, int count) {
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = prefix + "class" + (i % 2) + "/" + i + ".txt";
      puts.add(sdk.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromString(Integer.toString(i))));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static String overwrite(String bucket, String key, String content) {
    return sdk.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromString(content)).join().eTag()
        .replace("\"", "");
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static Manifest trainOf(String root) {
    return ChannelSplit.builder().root(root).ratios(1, 0, 0).build().split(store).channels().get("train");
  }

  private static int indexOf(Manifest m, String key) {
    for (int i = 0; i < m.size(); i++) {
      if (m.key(i).equals(key)) {
        return i;
      }
    }
    throw new AssertionError(key + " not in " + m);
  }

  @Test
  void anOverwrittenObjectFailsNamingTheKeyAndTheExpectedAndFoundEtag() throws Exception {
    upload(BUCKET, "changed/", 4);
    Manifest m = trainOf("s3://" + BUCKET + "/changed/");
    assertTrue(m.pinned());
    int i = indexOf(m, "class1/1.txt");
    String expected = m.etag(i);
    assertNotNull(expected);
    assertEquals("1", new String(store.get(m.ref(i)).get(30, TimeUnit.SECONDS).bytes(), StandardCharsets.UTF_8));

    String found = overwrite(BUCKET, "changed/class1/1.txt", "1"); // same size: only the ETag tells
    assertEquals(expected, found, "same bytes, same ETag: still the recorded object");
    found = overwrite(BUCKET, "changed/class1/1.txt", "9");
    assertNotEquals(expected, found);

    SluiceException e = assertInstanceOf(SluiceException.class, failure(store.get(m.ref(i))));
    String message = e.getMessage();
    assertTrue(message.contains("s3://" + BUCKET + "/changed/class1/1.txt"), message);
    assertTrue(message.contains("expected ETag \"" + expected + "\", found \"" + found + "\""), message);
    assertEquals("s3://" + BUCKET + "/changed/class1/1.txt", e.key());
    assertTrue(!e.retryable(), "a changed object stays changed");
    assertTrue(!message.contains(s3.secretKey()) && !message.contains(s3.accessKey()), message);

    StoredObject unpinned = store.get(m.unpinned().ref(i)).get(30, TimeUnit.SECONDS);
    assertEquals("9", new String(unpinned.bytes(), StandardCharsets.UTF_8), "unpinned reads what is there now");
    assertEquals(found, unpinned.etag());
  }

  @Test
  void aDeletedObjectFailsNamingTheKey() {
    upload(BUCKET, "deleted/", 4);
    Manifest m = trainOf("s3://" + BUCKET + "/deleted/");
    int i = indexOf(m, "class0/2.txt");
    sdk.deleteObject(b -> b.bucket(BUCKET).key("deleted/class0/2.txt")).join();

    ObjectNotFoundException pinned = assertInstanceOf(ObjectNotFoundException.class, failure(store.get(m.ref(i))));
    assertTrue(pinned.getMessage().contains("s3://" + BUCKET + "/deleted/class0/2.txt"), pinned.getMessage());
    ObjectNotFoundException unpinned = assertInstanceOf(ObjectNotFoundException.class,
        failure(store.get(m.unpinned().ref(i))));
    assertEquals("s3://" + BUCKET + "/deleted/class0/2.txt", unpinned.key());
  }

  @Test
  void aVersionIdReadsExactlyThatVersionAfterAnOverwrite() throws Exception {
    upload(VERSIONED, "data/", 4);
    // ListObjectVersions gives the version ids that ListObjectsV2 does not.
    ListObjectVersionsResponse versions = sdk.listObjectVersions(b -> b.bucket(VERSIONED).prefix("data/")).join();
    List<ObjectRef> listing = new ArrayList<>();
    for (ObjectVersion v : versions.versions()) {
      if (Boolean.TRUE.equals(v.isLatest())) {
        listing.add(new ObjectRef("s3://" + VERSIONED + "/" + v.key(), v.size(), v.eTag().replace("\"", ""),
            v.versionId()));
      }
    }
    assertEquals(4, listing.size());
    Manifest m = ChannelSplit.builder().root("s3://" + VERSIONED + "/data/").ratios(1, 0, 0).build().split(listing)
        .channels().get("train");
    int i = indexOf(m, "class1/3.txt");
    String version = m.versionId(i);
    assertNotNull(version);

    String newEtag = overwrite(VERSIONED, "data/class1/3.txt", "changed since");
    StoredObject pinned = store.get(m.ref(i)).get(30, TimeUnit.SECONDS);
    assertEquals("3", new String(pinned.bytes(), StandardCharsets.UTF_8), "the recorded version, not the latest");
    assertEquals(version, pinned.versionId());
    StoredObject latest = store.get(m.unpinned().ref(i)).get(30, TimeUnit.SECONDS);
    assertEquals("changed since", new String(latest.bytes(), StandardCharsets.UTF_8));
    assertEquals(newEtag, latest.etag());

    sdk.deleteObject(b -> b.bucket(VERSIONED).key("data/class1/3.txt").versionId(version)).join();
    SluiceException gone = assertInstanceOf(SluiceException.class, failure(store.get(m.ref(i))));
    assertTrue(gone.getMessage().contains("s3://" + VERSIONED + "/data/class1/3.txt"), gone.getMessage());
  }

  @Test
  void theLoaderStopsAtAChangedObjectNamingItAndBothEtags() {
    upload(BUCKET, "loader/", 6);
    Manifest m = trainOf("s3://" + BUCKET + "/loader/");
    String expected = m.etag(indexOf(m, "class0/4.txt"));
    String found = overwrite(BUCKET, "loader/class0/4.txt", "40");
    try (DataLoader loader = DataLoader.builder().manifest(m).store(store).transform(SyntheticDataset.identify())
        .batchSize(6).build(); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, it::next);
      assertTrue(e.getMessage().contains("s3://" + BUCKET + "/loader/class0/4.txt"), e.getMessage());
      assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(found), e.getMessage());
    }
    try (DataLoader loader = DataLoader.builder().manifest(m.unpinned()).store(store)
        .transform(SyntheticDataset.identify()).batchSize(6).build(); BatchIterator it = loader.epoch(0)) {
      assertEquals(6, it.next().size(), "unpinned, the loader reads the new content");
    }
  }

  @Test
  void versionIdsAndContentOfAnUnchangedObjectMatchTheRecord() throws Exception {
    upload(BUCKET, "same/", 2);
    Manifest m = trainOf("s3://" + BUCKET + "/same/");
    for (int i = 0; i < m.size(); i++) {
      StoredObject o = store.get(m.ref(i)).get(30, TimeUnit.SECONDS);
      assertEquals(m.etag(i), o.etag());
      assertEquals(m.objectSize(i), o.size());
      assertArrayEquals(m.key(i).replaceAll(".*/|\\.txt", "").getBytes(StandardCharsets.UTF_8), o.bytes());
    }
  }
}
