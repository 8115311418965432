package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.manifest.tools.ChannelSplit;
import io.sluice.manifest.tools.ManifestWriter;
import io.sluice.s3.embedded.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Fans a listing of about 3,900 keys under 45 prefixes (three levels deep, objects at every level, one prefix of more
 * than a page) out over a real S3 server (s3proxy) in this JVM, and compares it with the sequential listing.
 */
class S3ListingTest {
  private static final String BUCKET = "listing";
  private static final String ROOT = "s3://" + BUCKET + "/data/";
  private static final int CLASSES = 40;

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;
  /** Every list request: "V2|prefix|delimiter|token" or "versions|prefix|delimiter|marker". */
  private static final ConcurrentLinkedQueue<String> REQUESTS = new ConcurrentLinkedQueue<>();
  private static final List<String> KEYS = new ArrayList<>();

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())).forcePathStyle(true)
        .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request r) {
              REQUESTS.add("V2|" + r.prefix() + "|" + r.delimiter() + "|" + r.continuationToken());
            } else if (context.request() instanceof ListObjectVersionsRequest r) {
              REQUESTS.add("versions|" + r.prefix() + "|" + r.delimiter() + "|" + r.keyMarker());
            }
          }
        }))
        .build();
    KEYS.addAll(List.of("data/readme.txt", "data/z", "data/empty/", "data/\u732b/\u5199\u771f 1.jpg"));
    for (int c = 0; c < CLASSES; c++) {
      String dir = String.format("data/c%02d/", c);
      for (int i = 0; i < 40; i++) {
        KEYS.add(dir + i + ".jpg"); // directly in the class folder
      }
      for (int i = 0; i < 20; i++) {
        KEYS.add(dir + "sub/" + i + ".jpg");
      }
      for (int i = 0; i < 10; i++) {
        KEYS.add(dir + "sub/deep/" + i + ".jpg");
      }
    }
    for (int i = 0; i < 1100; i++) {
      KEYS.add("data/big/" + i + ".jpg"); // more than one page in one folder
    }
    KEYS.add("elsewhere/not-listed.jpg");
    upload(BUCKET, KEYS);
  }

  /** Uploads empty objects, 400 at a time (the client's connection pool queues the rest). */
  private static void upload(String bucket, List<String> keys) {
    for (int from = 0; from < keys.size(); from += 400) {
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (String key : keys.subList(from, Math.min(keys.size(), from + 400))) {
        puts.add(sdk.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromString(key)));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
    }
  }

  @AfterAll
  static void stop() {
    if (sdk != null) {
      sdk.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void forget() {
    REQUESTS.clear();
  }

  private static S3Listing.Builder listing() {
    return S3Listing.builder().client(sdk);
  }

  private static List<ObjectRef> list(S3Listing listing, String root) throws Exception {
    return listing.list(root).get(120, TimeUnit.SECONDS);
  }

  private static List<String> uris(List<ObjectRef> refs) {
    return refs.stream().map(ObjectRef::uri).toList();
  }

  @Test
  void fannedOutListingEqualsTheSequentialOneAtEveryConcurrencyAndDepth() throws Exception {
    List<ObjectRef> sequential = list(listing().concurrency(1).build(), ROOT);
    List<String> expected = KEYS.stream().filter(k -> k.startsWith("data/")).map(k -> "s3://" + BUCKET + "/" + k)
        .sorted().toList();
    assertEquals(expected, uris(sequential));
    assertTrue(sequential.stream().allMatch(r -> r.etag() != null && r.size() >= 0 && r.versionId() == null));

    for (int[] setting : new int[][] {{2, 1}, {4, 2}, {16, 3}, {16, 0}, {64, 1}, {3, 100}}) {
      List<ObjectRef> fanned = list(listing().concurrency(setting[0]).depth(setting[1]).build(), ROOT);
      assertEquals(sequential, fanned, "concurrency " + setting[0] + ", depth " + setting[1]);
    }
    // The whole bucket, and a prefix that is not a folder.
    assertEquals(list(listing().concurrency(1).build(), "s3://" + BUCKET),
        list(listing().build(), "s3://" + BUCKET));
    List<ObjectRef> partial = list(listing().build(), ROOT + "c1");
    assertEquals(10 * 70, partial.size());
    assertEquals(list(listing().concurrency(1).build(), ROOT + "c1"), partial);
  }

  @Test
  void requestsAreOnePerPageAndPrefixNeverRepeated() throws Exception {
    list(listing().concurrency(1).build(), ROOT);
    // 3,904 objects: 4 pages of up to 1,000, no delimiter.
    assertEquals(List.of("V2|data/|null|null"), REQUESTS.stream().limit(1).toList());
    assertEquals(4, REQUESTS.size(), REQUESTS.toString());

    REQUESTS.clear();
    S3Listing fanned = listing().concurrency(16).depth(3).build();
    S3Listing.Plan plan = fanned.plan(ROOT).get(60, TimeUnit.SECONDS);
    // 43 folders at the first level (< 4 x 16), 40 at the second, 40 at the third: depth 3 stops there.
    List<String> deep = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      deep.add(String.format("%sc%02d/sub/deep/", ROOT, c));
    }
    assertEquals(deep, plan.prefixes());
    assertEquals(4 + CLASSES * 60 + 1100, plan.objects().size(), "objects found while discovering");
    // One delimiter request for the root, one per first-level folder (two for big/), one per second-level folder.
    assertEquals(1 + 43 + 1 + CLASSES, REQUESTS.size(), REQUESTS.toString());
    assertTrue(REQUESTS.stream().allMatch(r -> r.startsWith("V2|") && r.contains("|/|")), REQUESTS.toString());

    REQUESTS.clear();
    assertEquals(CLASSES * 10, fanned.listFully(plan.prefixes()).get(60, TimeUnit.SECONDS).size());
    assertEquals(CLASSES, REQUESTS.size(), "one page per deep folder: " + REQUESTS);

    REQUESTS.clear();
    list(fanned, ROOT);
    Set<String> distinct = new HashSet<>(REQUESTS);
    assertEquals(REQUESTS.size(), distinct.size(), "no request made twice: " + REQUESTS);
    assertEquals(1 + 43 + 1 + CLASSES + CLASSES, REQUESTS.size());
  }

  @Test
  void progressCountsEveryObjectOnce() throws Exception {
    AtomicLong counted = new AtomicLong();
    List<ObjectRef> all = list(listing().progress(counted::addAndGet).build(), ROOT);
    assertEquals(all.size(), counted.get());
  }

  @Test
  void manifestsFromBothListingsAreByteIdentical(@TempDir Path dir) throws Exception {
    ChannelSplit split = ChannelSplit.builder().root(ROOT).suffixes(".jpg").seed(7).minPerClass(0)
        .labelFunction(k -> k.contains("/") ? k.substring(0, k.indexOf('/')) : null).build();
    ManifestWriter writer = ManifestWriter.builder(ManifestFormat.AUGMENTED).build();
    split.split(list(listing().concurrency(1).build(), ROOT)).write(dir.resolve("sequential"), writer);
    split.split(list(listing().concurrency(32).build(), ROOT)).write(dir.resolve("fanned"), writer);
    try (S3ObjectStore store = S3ObjectStore.builder().client(sdk).build()) {
      split.split(store).write(dir.resolve("store"), writer); // the store's list fans out too
    }
    List<String> files;
    try (Stream<Path> s = Files.list(dir.resolve("sequential"))) {
      files = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of("labels.tsv", "summary.json", "test.jsonl", "train.jsonl", "validation.jsonl"), files);
    for (String f : files) {
      byte[] sequential = Files.readAllBytes(dir.resolve("sequential").resolve(f));
      assertArrayEquals(sequential, Files.readAllBytes(dir.resolve("fanned").resolve(f)), f);
      assertArrayEquals(sequential, Files.readAllBytes(dir.resolve("store").resolve(f)), f);
    }
  }

  @Test
  void storeListUsesTheFanOutAndKeepsItsShape() throws Exception {
    try (S3ObjectStore store = S3ObjectStore.builder().client(sdk).listConcurrency(8).build()) {
      List<ObjectInfo> infos = store.list(ROOT).get(60, TimeUnit.SECONDS);
      List<ObjectRef> sequential = list(listing().concurrency(1).build(), ROOT);
      assertEquals(uris(sequential), infos.stream().map(ObjectInfo::uri).toList());
      assertTrue(REQUESTS.stream().anyMatch(r -> r.contains("|/|")), "delimiter listings: " + REQUESTS);
    }
    assertThrows(IllegalArgumentException.class, () -> S3ObjectStore.builder().listConcurrency(0));
  }

  @Test
  void versionsListingFansOutToo() throws Exception {
    s3.createBucket("listing-versions");
    sdk.putBucketVersioning(b -> b.bucket("listing-versions")
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))).join();
    List<String> keys = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      for (int i = 0; i < 15; i++) {
        keys.add("set/c" + c + "/" + (i % 3 == 0 ? "inner/" : "") + i + ".jpg");
      }
    }
    keys.add("set/top.jpg");
    upload("listing-versions", keys);
    upload("listing-versions", keys.subList(0, 30)); // a second version of some

    List<ObjectRef> sequential = list(listing().versions(true).concurrency(1).build(), "s3://listing-versions/set/");
    List<ObjectRef> fanned = list(listing().versions(true).concurrency(4).build(), "s3://listing-versions/set/");
    assertEquals(keys.size(), sequential.size());
    assertTrue(sequential.stream().allMatch(r -> r.versionId() != null), sequential.toString());
    assertEquals(sequential, fanned);
    assertTrue(REQUESTS.stream().anyMatch(r -> r.startsWith("versions|") && r.contains("|/|")), REQUESTS.toString());
  }

  @Test
  void failuresNameThePrefixAndTheCause() throws Exception {
    Throwable missing = failure(listing().build().list("s3://no-such-bucket/data/"));
    SluiceException e = assertInstanceOf(SluiceException.class, missing);
    assertTrue(e.getMessage().contains("s3://no-such-bucket/data/") && e.getMessage().contains("bucket does not exist"),
        e.getMessage());
    assertFalse(e.retryable());

    String wrongSecret = "wrong-secret-91c2";
    try (S3AsyncClient denied = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), wrongSecret)).forcePathStyle(true)
        .build()) {
      for (int concurrency : new int[] {1, 16}) {
        Throwable cause = failure(S3Listing.builder().client(denied).concurrency(concurrency).build().list(ROOT));
        SluiceException d = assertInstanceOf(SluiceException.class, cause);
        assertTrue(d.getMessage().contains(ROOT) && d.getMessage().contains("403"), d.getMessage());
        assertFalse(d.getMessage().contains(wrongSecret), d.getMessage());
        assertFalse(d.retryable());
      }
    }
    Throwable bad = failure(listing().build().list("http://x/"));
    assertTrue(bad.getMessage().contains("http://x/"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> listing().concurrency(0));
    assertThrows(IllegalArgumentException.class, () -> listing().depth(-1));
    assertThrows(IllegalStateException.class, () -> S3Listing.builder().build());
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
    return e.getCause();
  }
}
