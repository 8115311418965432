package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.SluiceException;
import io.sluice.loader.testing.EpochChecks;
import io.sluice.loader.testing.EpochChecks.Delivered;
import io.sluice.loader.testing.SyntheticDataset;
import io.sluice.s3.embedded.EmbeddedS3;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With default settings the loader rides out its S3 server being gone for over 10 s: the real server (s3proxy,
 * on disk) is stopped mid-epoch and started again on the same port; the epoch completes with exactly the batches
 * of an undisturbed run. Permanent failures still fail at once.
 */
class StoreOutageTest {
  private static final String BUCKET = "outage";
  private static final SyntheticDataset DATA = new SyntheticDataset("s3://" + BUCKET + "/d/", 300, 3);
  private static final long OUTAGE_MILLIS = 12_000;

  @TempDir
  Path dataDirectory;

  private static S3ObjectStore store(EmbeddedS3 s3) {
    return S3ObjectStore.builder().endpoint(s3.endpoint()).region(s3.region())
        .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).build();
  }

  private static DataLoader loader(S3ObjectStore store, SyntheticDataset data) {
    // Default fetch policy: nothing here is tuned for the outage.
    return DataLoader.builder().manifest(data.manifest()).store(store).transform(SyntheticDataset.identify())
        .batchSize(32).seed(5).build();
  }

  @Test
  void theServerStoppedAndRestartedOnTheSamePortLosesAndRepeatsNothing() throws Exception {
    EmbeddedS3 first = EmbeddedS3.builder().dataDirectory(dataDirectory).start();
    int port = first.port();
    first.createBucket(BUCKET);
    TestBuckets.upload(first, DATA.objects());
    List<Delivered> clean;
    try (S3ObjectStore store = store(first); DataLoader loader = loader(store, DATA)) {
      clean = EpochChecks.readEpoch(loader, 0);
    }

    CompletableFuture<EmbeddedS3> restarted = new CompletableFuture<>();
    List<Delivered> delivered = new ArrayList<>();
    LoaderStats stats;
    try (S3ObjectStore store = store(first); DataLoader loader = loader(store, DATA);
         BatchIterator it = loader.epoch(0)) {
      for (int b = 0; b < 2; b++) {
        delivered.addAll(rows(it.next()));
      }
      long t0 = System.nanoTime();
      first.close(); // the server is gone: connections refused (and reset, for any in flight)
      Thread restarter = new Thread(() -> {
        try {
          Thread.sleep(OUTAGE_MILLIS);
          restarted.complete(EmbeddedS3.builder().port(port).dataDirectory(dataDirectory).start());
        } catch (Throwable t) {
          restarted.completeExceptionally(t);
        }
      }, "restarter");
      restarter.start();
      while (it.hasNext()) {
        delivered.addAll(rows(it.next()));
      }
      stats = loader.stats();
      System.out.printf("outage of %d ms: epoch done %d ms after the stop; %s%n", OUTAGE_MILLIS,
          (System.nanoTime() - t0) / 1_000_000, stats);
    } finally {
      restarted.get(60, TimeUnit.SECONDS).close();
    }
    assertEquals(clean, delivered, "every sample once, in the same batches, with the same augmentation");
    assertTrue(stats.retries() > 0, "the outage was retried through: " + stats);
    assertEquals(0, stats.skipped());
  }

  @Test
  void aMissingObjectFailsAtOnceNamingItsKey() {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
      s3.createBucket(BUCKET);
      SyntheticDataset missing = new SyntheticDataset("s3://" + BUCKET + "/missing/", 3, 1);
      try (S3ObjectStore store = store(s3); DataLoader loader = loader(store, missing);
           BatchIterator it = loader.epoch(0)) {
        SluiceException e = assertThrows(SluiceException.class, it::next);
        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/missing/"), e.getMessage());
        assertTrue(e.key().startsWith("s3://" + BUCKET + "/missing/"), e.key());
        assertEquals(0, loader.stats().retries(), "a 404 is not retried");
      }
    }
  }

  private static List<Delivered> rows(Batch batch) {
    List<Delivered> out = new ArrayList<>();
    for (int r = 0; r < batch.size(); r++) {
      out.add(new Delivered(batch.number(), (int) batch.features().getFloat(r, 0),
          batch.labels().getRow(r).argMax().getInt(0), (int) batch.features().getFloat(r, 1)));
    }
    return out;
  }
}
