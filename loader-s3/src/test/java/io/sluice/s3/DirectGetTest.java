package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.embedded.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The store's direct GETs ({@link S3ObjectStore.GetPath#DIRECT}, the default) against a real S3 server (s3proxy):
 * over both HTTP clients, every read of a catalogue (whole, ranged, pinned, versioned, empty, odd keys, and the
 * failures: missing key and bucket, stale ETag, wrong size, wrong secret, over the size limit) ends exactly as the
 * same read through the SDK client ({@link S3ObjectStore.GetPath#SDK}): the same bytes, ETag and version id, or the
 * same exception type, message, key and retryability.
 */
class DirectGetTest {
  private static final String BUCKET = "direct";
  private static final String[] ODD_KEYS = {"a b/c+d.jpg", "\u00e9t\u00e9/\u732b 100%.jpg", "x//y/./w.bin",
      "q?uery&amp=1#frag.bin", "~tilde/(paren)!*'.bin", "-"};

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;
  private static final Map<String, byte[]> CONTENT = new LinkedHashMap<>();
  private static final Map<String, String> ETAGS = new LinkedHashMap<>();
  private static String firstVersion;

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
            s3.secretKey())))
        .forcePathStyle(true).build();
    Random random = new Random(11);
    List<String> keys = new ArrayList<>(List.of("big.bin", "small.txt", "empty.bin"));
    keys.addAll(Arrays.asList(ODD_KEYS));
    for (String key : keys) {
      byte[] bytes = switch (key) {
        case "big.bin" -> new byte[700_000]; // many network buffers
        case "empty.bin" -> new byte[0];
        default -> ("content of " + key).getBytes(StandardCharsets.UTF_8);
      };
      random.nextBytes(key.equals("big.bin") ? bytes : new byte[0]);
      CONTENT.put(key, bytes);
      try {
        ETAGS.put(key, sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(bytes)).join()
            .eTag().replace("\"", ""));
      } catch (RuntimeException e) {
        throw new AssertionError("cannot put " + key, e);
      }
    }
    s3.createBucket("versions");
    sdk.putBucketVersioning(b -> b.bucket("versions")
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))).join();
    firstVersion = sdk.putObject(b -> b.bucket("versions").key("k"), AsyncRequestBody.fromString("one")).join()
        .versionId();
    sdk.putObject(b -> b.bucket("versions").key("k"), AsyncRequestBody.fromString("two")).join();
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

  private static S3ObjectStore store(S3ObjectStore.HttpClient http, S3ObjectStore.GetPath path, String secret,
      long maxObjectSize) {
    return S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region()).credentials(s3.accessKey(), secret)
        .pathStyle(true).httpClient(http).getPath(path).maxObjectSize(maxObjectSize).build();
  }

  /** One read of the catalogue. */
  private record Read(String name, ObjectRef ref, long offset, long length) {
    CompletableFuture<StoredObject> on(S3ObjectStore store) {
      return offset < 0 ? store.get(ref) : store.getRange(ref, offset, length);
    }
  }

  private static List<Read> catalogue() {
    List<Read> reads = new ArrayList<>();
    for (String key : CONTENT.keySet()) {
      String uri = "s3://" + BUCKET + "/" + key;
      reads.add(new Read("whole " + key, ObjectRef.of(uri), -1, -1));
      reads.add(new Read("pinned " + key, new ObjectRef(uri, CONTENT.get(key).length, ETAGS.get(key), null), -1, -1));
    }
    String big = "s3://" + BUCKET + "/big.bin";
    reads.add(new Read("range", ObjectRef.of(big), 12_345, 100_000));
    reads.add(new Read("pinned range", new ObjectRef(big, 700_000, ETAGS.get("big.bin"), null), 699_000, 1000));
    reads.add(new Read("range past the end", ObjectRef.of(big), 699_990, 100));
    reads.add(new Read("range beyond the object", ObjectRef.of(big), 800_000, 10));
    reads.add(new Read("stale etag", new ObjectRef(big, -1, "0123456789abcdef0123456789abcdef", null), -1, -1));
    reads.add(new Read("stale etag, range", new ObjectRef(big, -1, "0123456789abcdef0123456789abcdef", null), 0, 10));
    reads.add(new Read("wrong size", new ObjectRef(big, 699_999, null, null), -1, -1));
    reads.add(new Read("missing key", ObjectRef.of("s3://" + BUCKET + "/no/such/key.jpg"), -1, -1));
    reads.add(new Read("missing bucket", ObjectRef.of("s3://no-such-bucket/key.jpg"), -1, -1));
    reads.add(new Read("old version", new ObjectRef("s3://versions/k", -1, null, firstVersion), -1, -1));
    reads.add(new Read("latest version", ObjectRef.of("s3://versions/k"), -1, -1));
    reads.add(new Read("missing version", new ObjectRef("s3://versions/k", -1, null, "no-such-version"), -1, -1));
    return reads;
  }

  /** What a read came to, in terms the caller can see. */
  private static String outcome(CompletableFuture<StoredObject> future) throws Exception {
    try {
      StoredObject o = future.get(30, TimeUnit.SECONDS);
      return "ok " + o.uri() + " " + o.bytes().length + " bytes crc " + crc(o.bytes()) + " etag " + o.etag()
          + " version " + o.versionId();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SluiceException s) {
        return cause.getClass().getSimpleName() + " key=" + s.key() + " retryable=" + s.retryable() + ": "
            + cause.getMessage();
      }
      return cause.toString();
    }
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  @ParameterizedTest
  @EnumSource(S3ObjectStore.HttpClient.class)
  void everyReadEndsAsItDoesThroughTheSdkClient(S3ObjectStore.HttpClient http) throws Exception {
    List<Read> reads = catalogue();
    try (S3ObjectStore direct = store(http, S3ObjectStore.GetPath.DIRECT, s3.secretKey(), Long.MAX_VALUE);
         S3ObjectStore viaSdk = store(http, S3ObjectStore.GetPath.SDK, s3.secretKey(), Long.MAX_VALUE)) {
      assertTrue(((S3AsyncObjectStore) direct).readsDirectly(BUCKET), direct.toString());
      assertFalse(((S3AsyncObjectStore) viaSdk).readsDirectly(BUCKET), viaSdk.toString());
      int failures = 0;
      for (Read read : reads) {
        String expected = outcome(read.on(viaSdk));
        assertEquals(expected, outcome(read.on(direct)), read.name());
        failures += expected.startsWith("ok ") ? 0 : 1;
      }
      assertTrue(failures >= 7 && failures < reads.size(), failures + " of " + reads.size() + " reads failed");
      // The bytes themselves, not only their checksum.
      for (String key : ODD_KEYS) {
        assertEquals(new String(CONTENT.get(key), StandardCharsets.UTF_8), new String(
            direct.get(ObjectRef.of("s3://" + BUCKET + "/" + key)).get(30, TimeUnit.SECONDS).bytes(),
            StandardCharsets.UTF_8), key);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(S3ObjectStore.HttpClient.class)
  void aWrongSecretOrAnObjectOverTheLimitFailsAsThroughTheSdkClient(S3ObjectStore.HttpClient http) throws Exception {
    String wrong = "wrong-secret-8c2e7d";
    try (S3ObjectStore direct = store(http, S3ObjectStore.GetPath.DIRECT, wrong, Long.MAX_VALUE);
         S3ObjectStore viaSdk = store(http, S3ObjectStore.GetPath.SDK, wrong, Long.MAX_VALUE)) {
      ObjectRef ref = ObjectRef.of("s3://" + BUCKET + "/small.txt");
      String expected = outcome(viaSdk.get(ref));
      assertTrue(expected.contains("SignatureDoesNotMatch, HTTP 403") && expected.contains("retryable=false"),
          expected);
      assertEquals(expected, outcome(direct.get(ref)));
      assertFalse(expected.contains(wrong), expected);
    }
    try (S3ObjectStore direct = store(http, S3ObjectStore.GetPath.DIRECT, s3.secretKey(), 1000);
         S3ObjectStore viaSdk = store(http, S3ObjectStore.GetPath.SDK, s3.secretKey(), 1000)) {
      ObjectRef ref = ObjectRef.of("s3://" + BUCKET + "/big.bin"); // no recorded size: refused by Content-Length
      String expected = outcome(viaSdk.get(ref));
      assertTrue(expected.contains("more than the limit of 1000"), expected);
      assertEquals(expected, outcome(direct.get(ref)));
    }
  }

  @Test
  void moreAttemptsThanOneOrAnSdkPathSendGetsThroughTheSdkClient() {
    try (S3ObjectStore retrying = S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region())
        .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).maxAttempts(3).build();
         S3ObjectStore plain = S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region())
             .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).build()) {
      assertTrue(retrying.toString().contains("getPath=SDK"), retrying.toString());
      assertFalse(((S3AsyncObjectStore) retrying).readsDirectly(BUCKET));
      assertTrue(plain.toString().contains("getPath=DIRECT"), plain.toString());
      assertTrue(((S3AsyncObjectStore) plain).readsDirectly(BUCKET));
    }
  }

  @Test
  void aFullObjectChecksumIsValidatedAndACompositeOneSkipped() {
    byte[] body = "the body as sent".getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    String good = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue())
        .array());
    assertNull(DirectGet.checkChecksum("s3://b/k", response("x-amz-checksum-crc32", good), body));
    assertNull(DirectGet.checkChecksum("s3://b/k", response("x-amz-other", "x"), body));

    byte[] corrupted = body.clone();
    corrupted[3] ^= 1;
    SluiceException bad = DirectGet.checkChecksum("s3://b/k", response("x-amz-checksum-crc32", good), corrupted);
    assertNotNull(bad);
    assertEquals("s3://b/k", bad.key());
    assertTrue(bad.retryable(), bad.getMessage());
    assertTrue(bad.getMessage().contains("CRC32") && bad.getMessage().contains(good), bad.getMessage());

    assertNull(DirectGet.checkChecksum("s3://b/k", response("x-amz-checksum-crc32", good + "-3"), corrupted),
        "a multipart upload's checksum of checksums says nothing about the body");
  }

  @Test
  void s3ErrorBodiesGiveTheirCodeAndMessage() {
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
        + "<Message>Please reduce your request rate.</Message><RequestId>R1</RequestId></Error>";
    String[] parsed = DirectGet.parseError(xml.getBytes(StandardCharsets.UTF_8));
    assertEquals("SlowDown", parsed[0]);
    assertEquals("Please reduce your request rate.", parsed[1]);
    String[] html = DirectGet.parseError("<html><body>Bad Gateway".getBytes(StandardCharsets.UTF_8));
    assertNull(html[0]);
    String[] entity = DirectGet.parseError(("<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM "
        + "\"file:///etc/passwd\">]><Error><Code>&x;</Code></Error>").getBytes(StandardCharsets.UTF_8));
    assertTrue(entity[0] == null || !entity[0].contains("root"), "external entities are never resolved");
  }

  private static SdkHttpResponse response(String header, String value) {
    return SdkHttpResponse.builder().statusCode(200).putHeader(header, value).build();
  }
}
