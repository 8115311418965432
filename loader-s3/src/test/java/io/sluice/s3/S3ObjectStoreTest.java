package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectNotFoundException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.embedded.EmbeddedS3;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** Runs the store against a real S3 server (s3proxy) in this JVM. */
class S3ObjectStoreTest {
  private static final String BUCKET = "data";
  private static final int MANY = 1100; // more than one page of 1000

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;
  private static final ListCounter LISTS = new ListCounter();
  private static ObjectStore store;

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    sdk = S3AsyncClient.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.addExecutionInterceptor(LISTS))
        .build();
    store = storeFor(s3.endpoint(), s3.secretKey()).build();
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

  private static S3ObjectStore.Builder storeFor(URI endpoint, String secretKey) {
    return S3ObjectStore.builder()
        .endpoint(endpoint)
        .region(s3.region())
        .credentials(s3.accessKey(), secretKey)
        .pathStyle(true);
  }

  private static String put(String key, byte[] content) {
    PutObjectResponse response = sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(content))
        .join();
    return response.eTag();
  }

  private static Throwable failure(CompletableFuture<?> future) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void getReturnsBytesAndUnquotedEtag() throws Exception {
    byte[] content = "a small cat".getBytes(StandardCharsets.UTF_8);
    String quoted = put("cats/001.jpg", content);

    StoredObject object = store.get(ObjectRef.of("s3://data/cats/001.jpg")).get(30, TimeUnit.SECONDS);

    assertArrayEquals(content, object.bytes());
    assertEquals("s3://data/cats/001.jpg", object.uri());
    assertNotNull(object.etag());
    assertFalse(object.etag().contains("\""), object.etag());
    assertEquals(quoted.replace("\"", ""), object.etag());
  }

  @Test
  void theNettyHttpClientReadsWholeRangedAndPinnedObjectsLikeTheDefaultCrt() throws Exception {
    assertTrue(store.toString().contains("httpClient=CRT"), store.toString());
    byte[] content = new byte[300_000]; // several network buffers
    new java.util.Random(5).nextBytes(content);
    String etag = put("crt/large.bin", content).replace("\"", "");
    try (S3ObjectStore netty = storeFor(s3.endpoint(), s3.secretKey()).httpClient(S3ObjectStore.HttpClient.NETTY)
        .build()) {
      assertTrue(netty.toString().contains("httpClient=NETTY"), netty.toString());
      ObjectRef pinned = new ObjectRef("s3://data/crt/large.bin", content.length, etag, null);
      StoredObject whole = netty.get(pinned).get(30, TimeUnit.SECONDS);
      assertArrayEquals(content, whole.bytes());
      assertEquals(etag, whole.etag());
      StoredObject range = netty.getRange(pinned, 1000, 5000).get(30, TimeUnit.SECONDS);
      assertArrayEquals(java.util.Arrays.copyOfRange(content, 1000, 6000), range.bytes());
      assertInstanceOf(ObjectNotFoundException.class, failure(netty.get(ObjectRef.of("s3://data/crt/missing.bin"))));
      SluiceException changed = assertInstanceOf(SluiceException.class,
          failure(netty.get(new ObjectRef("s3://data/crt/large.bin", content.length, "0123abcd", null))));
      assertTrue(changed.getMessage().contains("changed"), changed.getMessage());
    }
  }

  @Test
  void missingKeyFailsWithObjectNotFoundNamingTheKey() throws Exception {
    Throwable cause = failure(store.get(ObjectRef.of("s3://data/cats/missing.jpg")));

    ObjectNotFoundException e = assertInstanceOf(ObjectNotFoundException.class, cause);
    assertTrue(e.getMessage().contains("s3://data/cats/missing.jpg"), e.getMessage());
    assertEquals("s3://data/cats/missing.jpg", e.key());
    assertFalse(e.retryable());
  }

  @Test
  void missingBucketIsNotAMissingObject() throws Exception {
    Throwable cause = failure(store.get(ObjectRef.of("s3://no-such-bucket/cat.jpg")));

    SluiceException e = assertInstanceOf(SluiceException.class, cause);
    assertFalse(e instanceof ObjectNotFoundException, e.toString());
    assertTrue(e.getMessage().contains("s3://no-such-bucket/cat.jpg"), e.getMessage());
    assertTrue(e.getMessage().contains("bucket does not exist"), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void etagPinsTheRead() throws Exception {
    byte[] content = {1, 2, 3, 4};
    String etag = put("pinned/a.bin", content).replace("\"", "");

    StoredObject pinned = store.get(new ObjectRef("s3://data/pinned/a.bin", 4, etag, null)).get(30, TimeUnit.SECONDS);
    assertArrayEquals(content, pinned.bytes());

    String stale = "0123456789abcdef0123456789abcdef";
    Throwable cause = failure(store.get(new ObjectRef("s3://data/pinned/a.bin", -1, stale, null)));
    SluiceException e = assertInstanceOf(SluiceException.class, cause);
    assertFalse(e instanceof ObjectNotFoundException, e.toString());
    assertTrue(e.getMessage().contains("s3://data/pinned/a.bin"), e.getMessage());
    assertTrue(e.getMessage().contains(stale), e.getMessage());
    assertTrue(e.getMessage().contains("412"), e.getMessage());
    assertEquals("s3://data/pinned/a.bin", e.key());
    assertFalse(e.retryable());
  }

  @Test
  void sizeMismatchMeansTheObjectChanged() throws Exception {
    put("sized/b.bin", new byte[10]);

    Throwable cause = failure(store.get(new ObjectRef("s3://data/sized/b.bin", 11, null, null)));

    SluiceException e = assertInstanceOf(SluiceException.class, cause);
    assertTrue(e.getMessage().contains("s3://data/sized/b.bin") && e.getMessage().contains("11"), e.getMessage());
  }

  @Test
  void versionIdReadsThatVersion() throws Exception {
    EmbeddedS3 versioned = EmbeddedS3.builder().start();
    try (versioned; S3ObjectStore store = S3ObjectStore.builder()
        .endpoint(versioned.endpoint()).region(versioned.region())
        .credentials(versioned.accessKey(), versioned.secretKey()).pathStyle(true).build();
        S3AsyncClient client = S3AsyncClient.builder()
            .endpointOverride(versioned.endpoint()).region(Region.of(versioned.region()))
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(versioned.accessKey(), versioned.secretKey())))
            .forcePathStyle(true).build()) {
      versioned.createBucket("versions");
      client.putBucketVersioning(b -> b.bucket("versions")
          .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))).join();
      String first = client.putObject(b -> b.bucket("versions").key("k"), AsyncRequestBody.fromString("one"))
          .join().versionId();
      client.putObject(b -> b.bucket("versions").key("k"), AsyncRequestBody.fromString("two")).join();
      assertNotNull(first, "server did not return a version id");

      StoredObject old = store.get(new ObjectRef("s3://versions/k", -1, null, first)).get(30, TimeUnit.SECONDS);
      StoredObject latest = store.get(ObjectRef.of("s3://versions/k")).get(30, TimeUnit.SECONDS);

      assertEquals("one", new String(old.bytes(), StandardCharsets.UTF_8));
      assertEquals(first, old.versionId());
      assertEquals("two", new String(latest.bytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void listsMoreThanOnePageSortedAndByPrefix() throws Exception {
    byte[] content = new byte[7];
    List<String> keys = IntStream.range(0, MANY).mapToObj(i -> "many/" + i).collect(Collectors.toList());
    List<String> shuffled = new ArrayList<>(keys);
    Collections.shuffle(shuffled, new java.util.Random(42));
    CompletableFuture.allOf(shuffled.stream()
        .map(k -> sdk.putObject(b -> b.bucket(BUCKET).key(k), AsyncRequestBody.fromBytes(content)))
        .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    // A store over the caller's client, whose interceptor counts the list requests.
    ObjectStore counted = S3ObjectStore.builder().client(sdk).build();
    LISTS.reset();

    List<ObjectInfo> all = counted.list("s3://data/many/").get(60, TimeUnit.SECONDS);

    List<String> expected = keys.stream().map(k -> "s3://data/" + k).sorted().collect(Collectors.toList());
    assertEquals(expected, all.stream().map(ObjectInfo::uri).collect(Collectors.toList()));
    assertTrue(LISTS.requests.get() >= 2, "expected more than one page, made " + LISTS.requests.get() + " requests");
    assertEquals(LISTS.requests.get() - 1, LISTS.continued.get(), "every page after the first uses a token");
    for (ObjectInfo info : all) {
      assertEquals(7, info.size(), info.toString());
      assertNotNull(info.etag(), info.toString());
      assertFalse(info.etag().contains("\""), info.toString());
    }

    // "many/10" covers many/10, many/100..109 and many/1000..1099.
    List<ObjectInfo> tens = store.list("s3://data/many/10").get(30, TimeUnit.SECONDS);
    assertEquals(1 + 10 + 100, tens.size());
    assertTrue(tens.stream().allMatch(i -> i.uri().startsWith("s3://data/many/10")), tens.toString());
    assertEquals("s3://data/many/10", tens.get(0).uri());

    assertEquals(List.of(), store.list("s3://data/nothing-here/").get(30, TimeUnit.SECONDS));
    List<ObjectInfo> bucket = store.list("s3://data").get(60, TimeUnit.SECONDS);
    assertTrue(bucket.size() >= MANY, "whole bucket: " + bucket.size());

    counted.close();
    // Closing the store leaves the caller's client open.
    assertNotNull(sdk.headBucket(b -> b.bucket(BUCKET)).get(30, TimeUnit.SECONDS));
  }

  @Test
  void keysWithSpacesPlusAndUnicodeRoundTrip() throws Exception {
    String key = "odd/my cat+1 \u00e9t\u00e9 100%.jpg";
    put(key, new byte[] {5, 6});

    List<ObjectInfo> listed = store.list("s3://data/odd/").get(30, TimeUnit.SECONDS);

    assertEquals(List.of("s3://data/" + key), listed.stream().map(ObjectInfo::uri).collect(Collectors.toList()));
    StoredObject object = store.get(ObjectRef.of(listed.get(0).uri())).get(30, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {5, 6}, object.bytes());
  }

  @Test
  void listOfMissingBucketFailsNamingIt() throws Exception {
    Throwable cause = failure(store.list("s3://no-such-bucket/x/"));

    SluiceException e = assertInstanceOf(SluiceException.class, cause);
    assertTrue(e.getMessage().contains("s3://no-such-bucket/x/"), e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void badUrisFailTheFutureNamingTheUri() throws Exception {
    for (String bad : new String[] {"http://data/x", "s3:///x", "s3://data/"}) {
      Throwable cause = failure(store.get(ObjectRef.of(bad)));
      SluiceException e = assertInstanceOf(SluiceException.class, cause);
      assertTrue(e.getMessage().contains(bad), e.getMessage());
      assertFalse(e.retryable());
    }
    Throwable cause = failure(store.list("file:/tmp/"));
    assertTrue(cause.getMessage().contains("file:/tmp/"), cause.getMessage());
  }

  @Test
  void wrongSecretIsNotRetryableAndNeverPrinted() throws Exception {
    String wrongSecret = "wrong-secret-6d1f0a";
    try (S3ObjectStore wrong = storeFor(s3.endpoint(), wrongSecret).build()) {
      put("cats/002.jpg", new byte[] {9});
      Throwable cause = failure(wrong.get(ObjectRef.of("s3://data/cats/002.jpg")));
      SluiceException e = assertInstanceOf(SluiceException.class, cause);
      assertTrue(e.getMessage().contains("403"), e.getMessage());
      assertFalse(e.retryable());
      assertFalse(e.getMessage().contains(wrongSecret), e.getMessage());
      assertFalse(wrong.toString().contains(wrongSecret), wrong.toString());
    }
  }

  @Test
  void connectionFailureIsRetryable() throws Exception {
    URI deadEndpoint;
    try (EmbeddedS3 gone = EmbeddedS3.builder().start()) {
      deadEndpoint = gone.endpoint();
    }
    // One store per request: with SDK 2.56 a second request on a Netty client that just saw "connection
    // refused" sometimes waits out the 10 s connection-acquire timeout (retryable too, but slow).
    try (S3ObjectStore dead = storeFor(deadEndpoint, s3.secretKey()).maxAttempts(1).build()) {
      Throwable cause = failure(dead.get(ObjectRef.of("s3://data/cats/001.jpg")));
      SluiceException e = assertInstanceOf(SluiceException.class, cause);
      assertTrue(e.retryable(), e.toString());
      assertTrue(e.getMessage().contains("s3://data/cats/001.jpg"), e.getMessage());
    }
    try (S3ObjectStore dead = storeFor(deadEndpoint, s3.secretKey()).maxAttempts(1).build()) {
      Throwable listCause = failure(dead.list("s3://data/cats/"));
      assertTrue(assertInstanceOf(SluiceException.class, listCause).retryable(), listCause.toString());
      assertTrue(listCause.getMessage().contains("s3://data/cats/"), listCause.getMessage());
    }
  }

  @Test
  void toStringShowsSettingsButNoCredentials() {
    String text = store.toString();
    assertTrue(text.contains(s3.endpoint().toString()), text);
    assertTrue(text.contains("pathStyle=true"), text);
    assertFalse(text.contains(s3.secretKey()), text);
    assertFalse(text.contains(s3.accessKey()), text);
  }

  /**
   * A server that sends half a body and then nothing, keeping the connection open: over either client the GET fails
   * as retryable once the read timeout passes, rather than waiting for ever (the CRT client has no read timeout of
   * its own).
   */
  @ParameterizedTest
  @EnumSource(S3ObjectStore.HttpClient.class)
  void aResponseThatStopsMidBodyFailsAsRetryableAfterTheReadTimeout(S3ObjectStore.HttpClient http) throws Exception {
    byte[] content = new byte[100_000];
    put("stall/one.bin", content);
    try (FaultProxy proxy = FaultProxy.builder(s3.endpoint()).rate(FaultProxy.Fault.STALL_MID_BODY, 1.0).start();
         S3ObjectStore stalled = storeFor(proxy.endpoint(), s3.secretKey()).httpClient(http)
             .readTimeout(Duration.ofSeconds(2)).build()) {
      assertTrue(stalled.toString().contains("readTimeout=2s"), stalled.toString());
      SluiceException e = assertInstanceOf(SluiceException.class,
          failure(stalled.get(ObjectRef.of("s3://data/stall/one.bin"))));
      assertTrue(e.retryable(), e.getMessage());
      assertTrue(e.getMessage().contains("s3://data/stall/one.bin"), e.getMessage());
      assertEquals(1, proxy.injected(FaultProxy.Fault.STALL_MID_BODY));
    }
  }

  @Test
  void closedStoreFailsRequests() throws Exception {
    S3ObjectStore closing = storeFor(s3.endpoint(), s3.secretKey()).build();
    closing.close();
    closing.close(); // idempotent
    Throwable cause = failure(closing.get(ObjectRef.of("s3://data/cats/001.jpg")));
    assertTrue(cause.getMessage().contains("closed") && cause.getMessage().contains("s3://data/cats/001.jpg"),
        cause.getMessage());
  }

  @Test
  void settersRejectBadValuesNamingThem() {
    S3ObjectStore.Builder builder = S3ObjectStore.builder();
    assertMessageContains("0", () -> builder.maxConnections(0));
    assertMessageContains("0", () -> builder.maxAttempts(0));
    assertMessageContains("PT1S", () -> builder.readTimeout(Duration.ofSeconds(1)));
    assertMessageContains("PT1.5S", () -> builder.readTimeout(Duration.ofMillis(1500)));
    assertMessageContains("PT2H", () -> builder.readTimeout(Duration.ofHours(2)));
    assertMessageContains("'US East'", () -> builder.region("US East"));
    assertMessageContains("'ftp://host/'", () -> builder.endpoint(URI.create("ftp://host/")));
    assertMessageContains("access key", () -> builder.credentials(" ", "secret"));
    IllegalArgumentException blankSecret = assertThrows(IllegalArgumentException.class,
        () -> builder.credentials("access", "  "));
    assertTrue(blankSecret.getMessage().contains("secret key"), blankSecret.getMessage());
    assertThrows(NullPointerException.class, () -> builder.client(null));

    S3ObjectStore.Builder both = S3ObjectStore.builder().client(sdk).pathStyle(true);
    IllegalStateException e = assertThrows(IllegalStateException.class, both::build);
    assertTrue(e.getMessage().contains("client"), e.getMessage());
  }

  private static void assertMessageContains(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** Counts ListObjectsV2 requests, and those that carry a continuation token. */
  private static final class ListCounter implements ExecutionInterceptor {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger continued = new AtomicInteger();

    void reset() {
      requests.set(0);
      continued.set(0);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof ListObjectsV2Request) {
        requests.incrementAndGet();
        if (((ListObjectsV2Request) context.request()).continuationToken() != null) {
          continued.incrementAndGet();
        }
      }
    }
  }
}
