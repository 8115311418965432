package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestException;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectStore;
import io.sluice.manifest.tools.ChannelSplit;
import io.sluice.manifest.tools.ManifestWriter;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.embedded.EmbeddedS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Builds channel manifests from a real S3 listing (s3proxy in this JVM): more than one page of objects,
 * nested prefixes, unicode keys, an empty class and a class with too few objects.
 */
class ChannelSplitS3Test {
  private static final String BUCKET = "split";
  private static final String ROOT = "s3://" + BUCKET + "/images/";
  private static final String UNICODE_CLASS = "\u00e9l\u00e9phant-\u732b";

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;
  private static final AtomicInteger LIST_REQUESTS = new AtomicInteger();
  private static ObjectStore store;
  /** key under the root -> ETag without quotes, of every object uploaded under images/. */
  private static final Map<String, String> UPLOADED = new LinkedHashMap<>();
  private static final Map<String, Integer> SIZES = new HashMap<>();

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request) {
              LIST_REQUESTS.incrementAndGet();
            }
          }
        }))
        .build();
    Map<String, byte[]> objects = new LinkedHashMap<>();
    for (int i = 0; i < 600; i++) {
      // Nested prefixes under the class folder: all of them are class "cat".
      String sub = i % 3 == 0 ? "" : i % 3 == 1 ? "indoor/" : "indoor/sofa/";
      objects.put("cat/" + sub + String.format("%04d", i) + ".jpg", content("cat", i));
    }
    for (int i = 0; i < 450; i++) {
      objects.put("dog/" + String.format("%04d", i) + ".jpg", content("dog", i));
    }
    for (int i = 0; i < 60; i++) {
      objects.put(UNICODE_CLASS + "/\u0444\u043e\u0442\u043e " + i + " \ud83d\udc18.jpg", content("unicode", i));
    }
    objects.put("rare/1.jpg", content("rare", 1));
    objects.put("rare/2.jpg", content("rare", 2));
    objects.put("empty/", new byte[0]); // a folder marker: the class exists, with nothing in it
    objects.put("dog/notes.txt", content("notes", 0)); // filtered out by suffix
    UPLOADED.putAll(put("images/", objects));
    objects.forEach((key, bytes) -> SIZES.put(key, bytes.length));
    assertTrue(UPLOADED.size() > 1100, "more than one listing page");
    store = S3ObjectStore.builder().client(sdk).build();
  }

  static byte[] content(String kind, int i) {
    return (kind + " object " + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Uploads concurrently under {@code prefix}; returns each key's ETag. */
  private static Map<String, String> put(String prefix, Map<String, byte[]> objects) {
    Map<String, CompletableFuture<String>> puts = new LinkedHashMap<>();
    objects.forEach((key, bytes) -> puts.put(key, sdk.putObject(b -> b.bucket(BUCKET).key(prefix + key),
        AsyncRequestBody.fromBytes(bytes)).thenApply(r -> r.eTag().replace("\"", ""))));
    CompletableFuture.allOf(puts.values().toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
    Map<String, String> etags = new LinkedHashMap<>();
    puts.forEach((key, etag) -> etags.put(key, etag.join()));
    return etags;
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

  private static ChannelSplit.Builder split() {
    return ChannelSplit.builder().root(ROOT).suffixes(".jpg").seed(3);
  }

  @Test
  void minimumPerClassNamesTheEmptyClassAndTheOneWithTooFewObjects() {
    LIST_REQUESTS.set(0);
    ManifestException e = assertThrows(ManifestException.class, () -> split().minPerClass(2).build().split(store));
    String message = e.getMessage();
    assertTrue(message.contains("2 class(es) cannot have 2 object(s) in every channel"), message);
    assertTrue(message.contains("'empty' (0 objects: train 0, validation 0, test 0)"), message);
    assertTrue(message.contains("'rare' (2 objects: "), message);
    assertFalse(message.contains("'cat'") || message.contains("'dog'") || message.contains(UNICODE_CLASS), message);
    assertTrue(LIST_REQUESTS.get() >= 2, "the listing took " + LIST_REQUESTS.get() + " pages");
  }

  @Test
  void everyObjectLandsInExactlyOneChannelPinnedToItsEtag() {
    ChannelSplit.Result r = split().minPerClass(0).build().split(store);
    assertEquals(List.of("cat", "dog", "empty", "rare", UNICODE_CLASS), r.labels().names());
    Map<String, String> seen = new HashMap<>();
    for (Map.Entry<String, Manifest> channel : r.channels().entrySet()) {
      Manifest m = channel.getValue();
      for (int i = 0; i < m.size(); i++) {
        String key = m.key(i);
        assertEquals(null, seen.put(key, channel.getKey()), key + " in two channels");
        assertEquals(UPLOADED.get(key), m.etag(i), key);
        assertEquals(UPLOADED.get(key), m.ref(i).etag(), key);
        assertEquals((long) SIZES.get(key), m.objectSize(i), key);
        assertEquals(key.substring(0, key.indexOf('/')), m.labels().name(m.label(i)));
      }
    }
    long expected = UPLOADED.keySet().stream().filter(k -> k.endsWith(".jpg")).count();
    assertEquals(expected, seen.size());
    assertEquals(600, r.counts().total("cat"), "nested prefixes count for their class folder");
    assertEquals(60, r.counts().total(UNICODE_CLASS));
    assertEquals(1, r.skipped(), "dog/notes.txt");
    for (String c : List.of("cat", "dog", UNICODE_CLASS)) {
      for (String channel : ChannelSplit.CHANNELS) {
        assertTrue(r.counts().count(c, channel) > 0, c + " in " + channel);
      }
    }
  }

  @Test
  void manifestsWrittenInEveryFormatReadBackFromS3(@TempDir Path dir) throws IOException {
    ChannelSplit.Result r = split().minPerClass(0).build().split(store);
    for (ManifestFormat format : ManifestFormat.values()) {
      Path out = dir.resolve(format.id());
      List<ChannelSplit.ChannelFile> files = r.write(out, ManifestWriter.builder(format).build());
      LabelMap labels = LabelMap.read(out.resolve("labels.tsv"));
      for (ChannelSplit.ChannelFile f : files) {
        String key = "manifests/" + format.id() + "/" + f.file().getFileName();
        sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(Files.readAllBytes(f.file()))).join();
        Manifest back = Manifests.reader().labels(labels).prefix(ROOT).build().read("s3://" + BUCKET + "/" + key, store);
        Manifest original = r.channels().get(f.channel());
        assertEquals(original.size(), back.size(), format + " " + f.channel());
        for (int i = 0; i < original.size(); i++) {
          assertEquals(original.uri(i), back.uri(i));
          assertEquals(original.label(i), back.label(i));
        }
        if (format.recordsLabels()) {
          assertEquals(f.digest(), back.digest(), "CSV and augmented manifests keep the pins");
          assertTrue(back.pinned());
        } else {
          assertFalse(back.pinned(), format + " holds keys only");
        }
      }
    }
  }

  @Test
  void addingObjectsNeverMovesAnExistingKey() {
    Map<String, byte[]> first = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      first.put((i % 2 == 0 ? "cat/" : "dog/") + i + ".jpg", content("first", i));
    }
    put("grow/", first);
    ChannelSplit plan = ChannelSplit.builder().root("s3://" + BUCKET + "/grow/").seed(3).build();
    Map<String, String> before = channels(plan.split(store));
    Map<String, byte[]> more = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      more.put("dog/added-" + i + ".jpg", content("added", i));
      more.put("newt/" + i + ".jpg", content("newt", i));
    }
    put("grow/", more);
    Map<String, String> after = channels(plan.split(store));
    assertEquals(300, before.size());
    before.forEach((key, channel) -> assertEquals(channel, after.get(key), key));
    assertEquals(before.size() + 400, after.size());
  }

  private static Map<String, String> channels(ChannelSplit.Result r) {
    Map<String, String> out = new HashMap<>();
    r.channels().forEach((channel, m) -> {
      for (int i = 0; i < m.size(); i++) {
        out.put(m.key(i), channel);
      }
    });
    return out;
  }
}
