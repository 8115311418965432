package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.fetch.FailurePolicy;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.SkippedSample;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import io.sluice.transforms.Images;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The bad-input catalogue: every case has an expected outcome, and none is a silent drop or a hang. An object
 * either loads (with the channels asked for, in the batch's one shape), or fails with an error naming its key
 * and the cause, and under the skip policy is quarantined (counted, reported with its key) while the rest of
 * the epoch is delivered. A manifest either reads, or fails naming the file, the line and the cause.
 */
class BadInputCatalogueTest {
  private static final String BUCKET = "catalogue";
  private static final String GOOD = "c/good.png";
  private static final Transform<StoredObject, Features> CHAIN = Images.decode(3).andThen(Images.resize(32, 32))
      .andThen(Images.imageToTensor(1 / 255f));

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;
  private static S3ObjectStore store;

  @TempDir
  static Path temp;

  @BeforeAll
  static void start() throws IOException {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region())).forcePathStyle(true)
        .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())).build();
    put(GOOD, BadImages.png(40, 30, java.awt.image.BufferedImage.TYPE_3BYTE_BGR));
    store = S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region())
        .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).maxObjectSize(5_000_000).build();
  }

  @AfterAll
  static void stop() {
    store.close();
    sdk.close();
    s3.close();
  }

  static void put(String key, byte[] bytes) {
    sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(bytes)).join();
  }

  /** How one object case ends. */
  record Outcome(boolean ok, String... messageFragments) {
    static Outcome loads() {
      return new Outcome(true);
    }

    static Outcome fails(String... fragments) {
      return new Outcome(false, fragments);
    }
  }

  /** One object case: its key, its bytes (null: not uploaded), the store to read with, and its outcome. */
  record ObjectCase(String name, String key, Supplier<byte[]> bytes, Supplier<ObjectStore> reader, Outcome outcome) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ObjectCase image(String name, String key, Supplier<byte[]> bytes, Outcome outcome) {
    return new ObjectCase(name, key, bytes, () -> store, outcome);
  }

  static Stream<ObjectCase> objectCases() {
    String longKey = "c/" + "k".repeat(1018) + ".png"; // 1024 bytes
    String tooLongKey = "c/" + "k".repeat(1019) + ".png"; // 1025 bytes
    return Stream.of(
        image("corrupt JPEG header", "c/corrupt-header.jpg", BadImages::corruptJpegHeader,
            Outcome.fails("cannot decode")),
        image("truncated JPEG scan", "c/truncated.jpg", BadImages::truncatedJpeg, Outcome.fails("cannot decode")),
        image("zero-byte object", "c/empty.jpg", () -> new byte[0], Outcome.fails("empty")),
        image("PNG named .jpg", "c/really-a-png.jpg", () -> BadImages.png(20, 20, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
            Outcome.loads()),
        image("CMYK JPEG (Adobe)", "c/cmyk.jpg", BadImages::cmykJpeg, Outcome.loads()),
        image("greyscale JPEG", "c/grey.jpg", () -> BadImages.jpeg(50, 40, true), Outcome.loads()),
        image("16-bit PNG", "c/sixteen.png", BadImages::sixteenBitPng, Outcome.loads()),
        image("palette + alpha PNG", "c/palette-alpha.png", BadImages::paletteAlphaPng, Outcome.loads()),
        image("GIF (first frame)", "c/image.gif", BadImages::gif, Outcome.loads()),
        image("BMP", "c/image.bmp", BadImages::bmp, Outcome.loads()),
        image("2400x1600 outlier, resized to the batch shape", "c/huge.jpg", () -> BadImages.jpeg(2400, 1600, false),
            Outcome.loads()),
        image("header declaring 65535x65535", "c/bomb.png", BadImages::pixelBombPng,
            Outcome.fails("65535x65535", "more than the limit")),
        image("text named .jpg", "c/notes.jpg", () -> "just some text".getBytes(StandardCharsets.UTF_8),
            Outcome.fails("not a recognised image")),
        image("truncated PNG", "c/truncated.png", BadImages::truncatedPng, Outcome.fails("cannot decode")),
        image("missing key (404)", "c/never-uploaded.png", null, Outcome.fails("not found")),
        new ObjectCase("403: unknown access key", "c/good-for-403.png",
            () -> BadImages.png(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
            () -> withCredentials("AKIAUNKNOWNUNKNOWN00", s3.secretKey()), Outcome.fails("403")),
        new ObjectCase("wrong credentials (secret)", "c/good-for-wrong-secret.png",
            () -> BadImages.png(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
            () -> withCredentials(s3.accessKey(), "wrong-secret-wrong-secret-wrong-secret00"), Outcome.fails("403")),
        image("key containing ../ (S3 keys are opaque)", "c/../dots/escape.png",
            () -> BadImages.png(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR), Outcome.loads()),
        image("1024-byte key", longKey, () -> BadImages.png(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
            Outcome.loads()),
        image("1025-byte key (over S3's limit, so it cannot exist)", tooLongKey, null, Outcome.fails("not found")),
        image("unicode key", "c/ünïcödé/日本語.png", () -> BadImages.png(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
            Outcome.loads()),
        image("spaces in key", "c/with spaces/a b c.png",
            () -> BadImages.png(8, 8, java.awt.image.BufferedImage.TYPE_3BYTE_BGR), Outcome.loads()),
        image("object over maxObjectSize", "c/oversized.bmp", () -> BadImages.noiseBmp(1500, 1500),
            Outcome.fails("is 6750054 bytes, more than the limit of 5000000 (maxObjectSize): refused before buffering")));
  }

  private static ObjectStore withCredentials(String access, String secret) {
    return S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region()).credentials(access, secret)
        .pathStyle(true).build();
  }

  private static DataLoader loader(ObjectStore reader, Manifest manifest, FailurePolicy policy) {
    return DataLoader.builder().manifest(manifest).store(reader).transform(CHAIN).batchSize(2).channel("test")
        .fetchPolicy(FetchPolicy.builder().maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .onFailure(policy).build()).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objectCases")
  void objectCase(ObjectCase c) {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      if (c.bytes() != null) {
        put(c.key(), c.bytes().get());
      }
      String uri = "s3://" + BUCKET + "/" + c.key();
      ObjectStore reader = c.reader().get();
      try {
        boolean credentials = c.reader() != null && (c.name().startsWith("403") || c.name().startsWith("wrong"));
        // With bad credentials every object fails; the case's object is then the only one.
        Manifest manifest = credentials ? Manifest.builder("s3://" + BUCKET + "/").add(c.key(), "c").build()
            : Manifest.builder("s3://" + BUCKET + "/").add(GOOD, "c").add(c.key(), "c").build();
        if (c.outcome().ok()) {
          try (DataLoader loader = loader(reader, manifest, FailurePolicy.fail()); BatchIterator it = loader.epoch(0)) {
            Batch b = it.next();
            assertEquals(List.of(2L, 3L, 32L, 32L), List.of(b.features().shape()[0], b.features().shape()[1],
                b.features().shape()[2], b.features().shape()[3]), "two samples, 3 channels, one shape");
            assertFalse(it.hasNext());
          }
          return;
        }
        SluiceException e;
        try (DataLoader loader = loader(reader, manifest, FailurePolicy.fail()); BatchIterator it = loader.epoch(0)) {
          e = assertThrows(SluiceException.class, it::next);
        }
        String m = e.getMessage();
        assertTrue(m.contains(uri), "names the key: " + m);
        for (String f : c.outcome().messageFragments()) {
          assertTrue(m.contains(f), "says '" + f + "': " + m);
        }
        if (!credentials) {
          // Quarantine: the same object under the skip policy is counted and reported, the rest delivered.
          try (DataLoader loader = loader(reader, manifest, FailurePolicy.skip(1, 1.0)); BatchIterator it = loader.epoch(0)) {
            Batch b = it.next();
            assertEquals(1, b.size(), "the good sample is delivered");
            assertEquals(1, loader.stats().skipped());
            List<SkippedSample> skipped = loader.skipped();
            assertEquals(1, skipped.size());
            assertEquals(uri, skipped.get(0).uri());
            assertTrue(skipped.get(0).reason().contains(c.outcome().messageFragments()[0]), skipped.get(0).reason());
          }
        }
      } finally {
        if (reader != store) {
          reader.close();
        }
      }
    });
  }

  /** One manifest case: a reader, the file's bytes, and null (reads) or the fragments its error must hold. */
  record ManifestCase(String name, ManifestFormat format, LabelMap labels, String content, String... fragments) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<ManifestCase> manifestCases() {
    LabelMap two = LabelMap.ordered(List.of("cat", "dog"));
    String bom = "\uFEFF";
    return Stream.of(
        new ManifestCase("malformed JSON line", ManifestFormat.AUGMENTED, null,
            "{\"source-ref\": \"s3://b/cat/1.jpg\", \"class\": \"cat\"}\n{\"source-ref\": oops}\n", "m.jsonl:2"),
        new ManifestCase("UTF-8 BOM", ManifestFormat.MANIFEST_FILE, null,
            bom + "[{\"prefix\": \"s3://b/\"}, \"cat/1.jpg\", \"dog/2.jpg\"]"),
        new ManifestCase("CRLF line ends", ManifestFormat.AUGMENTED, null,
            "{\"source-ref\": \"s3://b/cat/1.jpg\", \"class\": \"cat\"}\r\n{\"source-ref\": \"s3://b/dog/2.jpg\", "
                + "\"class\": \"dog\"}\r\n"),
        new ManifestCase("empty file", ManifestFormat.MANIFEST_FILE, null, "", "m.jsonl"),
        new ManifestCase("duplicate keys", ManifestFormat.AUGMENTED, null,
            "{\"source-ref\": \"s3://b/cat/1.jpg\", \"class\": \"cat\"}\n{\"source-ref\": \"s3://b/dog/2.jpg\", "
                + "\"class\": \"dog\"}\n{\"source-ref\": \"s3://b/cat/1.jpg\", \"class\": \"cat\"}\n", "duplicate",
            "lines 1 and 3"),
        new ManifestCase("label out of range", ManifestFormat.CSV, two, "uri,label\ns3://b/cat/1.jpg,0\ns3://b/x/2.jpg,7\n",
            "m.jsonl:3", "7"),
        new ManifestCase("unknown channel", ManifestFormat.CSV, null,
            "uri,label,channel\ns3://b/cat/1.jpg,cat,train\ns3://b/dog/2.jpg,dog,trian\n", "m.jsonl:3", "trian"),
        new ManifestCase("prefix without trailing slash", ManifestFormat.MANIFEST_FILE, null,
            "[{\"prefix\": \"s3://b/images\"}, \"cat/1.jpg\"]", "must end with '/'"),
        new ManifestCase("CSV without a key or uri column", ManifestFormat.CSV, null, "path,label\ns3://b/cat/1.jpg,cat\n",
            "m.jsonl:1"),
        new ManifestCase("CSV row with too many fields", ManifestFormat.CSV, null,
            "uri,label\ns3://b/cat/1.jpg,cat\ns3://b/dog/2.jpg,dog,extra\n", "m.jsonl:3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifestCases")
  void manifestCase(ManifestCase c) throws IOException {
    var builder = Manifests.reader().format(c.format());
    if (c.labels() != null) {
      builder.labels(c.labels());
    }
    var reader = builder.build();
    InputStream in = new ByteArrayInputStream(c.content().getBytes(StandardCharsets.UTF_8));
    if (c.fragments().length == 0) {
      var channels = reader.readChannels(in, "m.jsonl");
      assertEquals(2, channels.values().stream().mapToInt(Manifest::size).sum(), "both entries read");
      return;
    }
    SluiceException e = assertThrows(SluiceException.class, () -> reader.readChannels(in, "m.jsonl"));
    for (String f : c.fragments()) {
      assertTrue(e.getMessage().contains(f), "says '" + f + "': " + e.getMessage());
    }
  }

  @org.junit.jupiter.api.Test
  void aLocalKeyWithDotDotCannotEscapeTheStoreRoot() {
    try (ObjectStore local = ObjectStore.localFiles(temp)) {
      CompletionException e = assertThrows(CompletionException.class,
          () -> local.get(ObjectRef.of("s3://bucket/../../etc/passwd")).join());
      assertTrue(e.getCause().getMessage().contains("escapes the store root"), e.getCause().getMessage());
    }
  }

  @org.junit.jupiter.api.Test
  void aMissingBucketIsNamed() {
    Manifest manifest = Manifest.builder("s3://no-such-bucket/").add("c/1.png", "c").build();
    try (DataLoader loader = loader(store, manifest, FailurePolicy.fail()); BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, it::next);
      assertTrue(e.getMessage().contains("s3://no-such-bucket/c/1.png") && e.getMessage().contains("bucket does not exist"),
          e.getMessage());
    }
  }
}
