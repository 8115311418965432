package io.sluice.s3;

import static io.sluice.loader.testing.EpochChecks.readEpoch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.EpochChecks.Delivered;
import io.sluice.loader.testing.SyntheticDataset;
import io.sluice.s3.FaultProxy.Fault;
import io.sluice.s3.embedded.EmbeddedS3;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The fetch engine over the S3 store against s3proxy, with a fault-injecting HTTP proxy between them. */
class S3FetchEngineTest {
  private static final String BUCKET = "engine";
  private static final SyntheticDataset DATA = new SyntheticDataset("s3://" + BUCKET + "/d/", 300, 3);
  private static final FetchPolicy FAST = FetchPolicy.builder()
      .backoff(Duration.ofMillis(2), Duration.ofMillis(20)).maxAttempts(8).build();

  private static EmbeddedS3 s3;
  private static StaticCredentialsProvider credentials;
  private static List<Delivered> clean;

  @BeforeAll
  static void upload() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
    try (S3AsyncClient sdk = TestBuckets.client(s3)) {
      TestBuckets.upload(sdk, DATA.objects());
      byte[] big = new byte[3_000_001];
      new java.util.Random(11).nextBytes(big);
      sdk.putObject(b -> b.bucket(BUCKET).key("big/blob.bin"), AsyncRequestBody.fromBytes(big)).join();
    }
    try (S3ObjectStore direct = store(s3.endpoint()); DataLoader loader = loader(direct).build()) {
      clean = readEpoch(loader, 1);
    }
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  /** A store whose SDK client does not retry: the loader's engine does, so its counts are exact. */
  private static S3ObjectStore store(URI endpoint) {
    return S3ObjectStore.builder().endpoint(endpoint).region(s3.region()).credentials(credentials).pathStyle(true)
        .maxAttempts(1).build();
  }

  private static DataLoader.Builder loader(S3ObjectStore store) {
    return DataLoader.builder().manifest(DATA.manifest()).store(store).transform(SyntheticDataset.identify())
        .batchSize(32).seed(5).fetchPolicy(FAST);
  }

  @Test
  void everyFaultKindIsSurvivedAndTheBatchesAreBitIdentical() throws Exception {
    try (FaultProxy proxy = FaultProxy.builder(s3.endpoint()).seed(42)
        .rate(Fault.SLOW_DOWN_503, 0.04).rate(Fault.INTERNAL_ERROR_500, 0.02).rate(Fault.RESET_MID_BODY, 0.02)
        .rate(Fault.TRUNCATED_BODY, 0.02).rate(Fault.DRIP, 0.01).rate(Fault.LATENCY_SPIKE, 0.02).spike(400).drip(200)
        .start();
         S3ObjectStore store = store(proxy.endpoint());
         DataLoader loader = loader(store).fetchPolicy(FAST.toBuilder().hedgeAfter(Duration.ofMillis(150)).build())
             .build()) {
      assertEquals(clean, readEpoch(loader, 1));
      LoaderStats s = loader.stats();
      long failures = proxy.injected(Fault.SLOW_DOWN_503) + proxy.injected(Fault.INTERNAL_ERROR_500)
          + proxy.injected(Fault.RESET_MID_BODY) + proxy.injected(Fault.TRUNCATED_BODY);
      System.out.printf("faults injected: 503=%d 500=%d reset=%d truncated=%d drip=%d spike=%d; loader: %s%n",
          proxy.injected(Fault.SLOW_DOWN_503), proxy.injected(Fault.INTERNAL_ERROR_500),
          proxy.injected(Fault.RESET_MID_BODY), proxy.injected(Fault.TRUNCATED_BODY), proxy.injected(Fault.DRIP),
          proxy.injected(Fault.LATENCY_SPIKE), s);
      assertTrue(proxy.injected(Fault.SLOW_DOWN_503) > 0 && proxy.injected(Fault.RESET_MID_BODY) > 0
          && proxy.injected(Fault.TRUNCATED_BODY) > 0, "each failing kind was injected");
      assertTrue(s.retries() > 0 && s.retries() <= failures, "retries " + s.retries() + ", failures " + failures);
      assertTrue(s.throttled() > 0 && s.throttled() <= proxy.injected(Fault.SLOW_DOWN_503), "503s seen as throttling");
      if (proxy.injected(Fault.LATENCY_SPIKE) > 0) {
        assertTrue(s.hedges() > 0, "a 400 ms spike with a 150 ms hedge delay gets hedged");
      }
      assertEquals(0, s.skipped());
    }
  }

  /**
   * Connections that stop sending mid-body and stay open, with hedging off: each costs one read timeout and exactly
   * one retry, over either HTTP client, and the epoch is bit-identical to the clean one.
   */
  @ParameterizedTest
  @EnumSource(S3ObjectStore.HttpClient.class)
  void aStalledGetIsRetriedAfterTheReadTimeoutWithHedgingOff(S3ObjectStore.HttpClient http) throws Exception {
    try (FaultProxy proxy = FaultProxy.builder(s3.endpoint()).seed(7).rate(Fault.STALL_MID_BODY, 0.01).start();
         S3ObjectStore store = S3ObjectStore.builder().endpoint(proxy.endpoint()).region(s3.region())
             .credentials(credentials).pathStyle(true).httpClient(http).readTimeout(Duration.ofSeconds(2)).build();
         DataLoader loader = loader(store).fetchPolicy(FAST.toBuilder().hedgeAfter(Duration.ZERO).build()).build()) {
      assertEquals(clean, readEpoch(loader, 1));
      LoaderStats s = loader.stats();
      System.out.printf("stalls over %s: injected=%d; loader: %s%n", http, proxy.injected(Fault.STALL_MID_BODY), s);
      assertTrue(proxy.injected(Fault.STALL_MID_BODY) > 0, "a stall was injected");
      assertEquals(proxy.injected(Fault.STALL_MID_BODY), s.retries(), "each stall cost exactly one retry");
      assertEquals(0, s.hedges());
      assertEquals(0, s.skipped());
    }
  }

  @Test
  void aBodyCutShortIsDetectedAndTheErrorNamesTheKeyAndAttempts() throws Exception {
    try (FaultProxy proxy = FaultProxy.builder(s3.endpoint()).rate(Fault.TRUNCATED_BODY, 1.0).start();
         S3ObjectStore store = store(proxy.endpoint());
         DataLoader loader = loader(store).fetchPolicy(FAST.toBuilder().maxAttempts(2).build()).build();
         BatchIterator it = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, it::next);
      assertTrue(e.getMessage().contains("s3://" + BUCKET + "/d/") && e.getMessage().contains("after 2 attempts"),
          e.getMessage());
      assertTrue(e.retryable());
    }
  }

  @Test
  void aSecondEpochFromTheMemoryCacheMakesNoGet() throws Exception {
    try (FaultProxy counter = FaultProxy.builder(s3.endpoint()).start();
         S3ObjectStore store = store(counter.endpoint());
         DataLoader loader = loader(store).cache(ObjectCache.memory(64 << 20)).build()) {
      readEpoch(loader, 0);
      assertEquals(300, counter.objectGets());
      assertEquals(clean, readEpoch(loader, 1));
      assertEquals(300, counter.objectGets(), "epoch 1 made no GET at the server");
      assertEquals(300, loader.stats().cacheHits());
    }
  }

  @Test
  void aDiskCacheServesTheNextRun(@TempDir Path dir) throws Exception {
    try (FaultProxy counter = FaultProxy.builder(s3.endpoint()).start();
         S3ObjectStore store = store(counter.endpoint())) {
      try (ObjectCache disk = ObjectCache.disk(dir, 1 << 30); DataLoader loader = loader(store).cache(disk).build()) {
        readEpoch(loader, 0);
      }
      assertEquals(300, counter.objectGets());
      try (ObjectCache disk = ObjectCache.disk(dir, 1 << 30); DataLoader loader = loader(store).cache(disk).build()) {
        assertEquals(clean, readEpoch(loader, 1));
      }
      assertEquals(300, counter.objectGets(), "the second run read everything from disk");
    }
  }

  @Test
  void aLargeObjectArrivesAsParallelRangedGets() throws Exception {
    Manifest m = Manifest.builder("s3://" + BUCKET + "/").add("big/blob.bin", "big", 3_000_001, null, null).build();
    List<byte[]> seen = new ArrayList<>();
    Transform<StoredObject, Features> keep = (in, ctx) -> {
      synchronized (seen) {
        seen.add(in.bytes());
      }
      return Features.of(new float[] {in.size()}, 1);
    };
    try (FaultProxy counter = FaultProxy.builder(s3.endpoint()).start();
         S3ObjectStore store = store(counter.endpoint());
         DataLoader loader = DataLoader.builder().manifest(m).store(store).transform(keep).batchSize(1)
             .fetchPolicy(FAST.toBuilder().ranges(1 << 20, 1 << 20).build()).build()) {
      loader.epoch(0).next();
      assertEquals(3, counter.objectGets(), "3 MB in 1 MiB parts");
      byte[] expected = new byte[3_000_001];
      new java.util.Random(11).nextBytes(expected);
      assertArrayEquals(expected, seen.get(0));
    }
  }
}
