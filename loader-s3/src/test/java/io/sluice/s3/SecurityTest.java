package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.testing.SyntheticDataset;
import io.sluice.s3.embedded.EmbeddedS3;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Credentials never leak; plain HTTP needs an opt-in; oversized objects are refused before buffering. */
class SecurityTest {

  private static String realLooking(SplittableRandom r, String alphabet, String prefix, int length) {
    StringBuilder sb = new StringBuilder(prefix);
    while (sb.length() < length) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static String text(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      sb.append(c).append('\n');
      for (Throwable s : c.getSuppressed()) {
        sb.append(s).append('\n');
      }
    }
    return sb.toString();
  }

  private static void proxyText(IThrowableProxy p, StringBuilder sb) {
    for (IThrowableProxy c = p; c != null; c = c.getCause()) {
      sb.append(c.getClassName()).append(": ").append(c.getMessage()).append('\n');
    }
  }

  @Test
  void realLookingCredentialsAppearInNoLogExceptionOrToStringAtDebugLevel() throws Exception {
    SplittableRandom r = new SplittableRandom(2026);
    String accessKey = realLooking(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "AKIA", 20);
    String secretKey = realLooking(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "", 40);
    String wrongSecret = realLooking(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "", 40);

    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    List<Logger> quieted = new ArrayList<>();
    for (Logger l : context.getLoggerList()) {
      if (l.getLevel() != null && l != root) {
        quieted.add(l);
      }
    }
    List<Level> quietedLevels = quieted.stream().map(Logger::getLevel).toList();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(context);
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    quieted.forEach(l -> l.setLevel(Level.DEBUG));
    StringBuilder seen = new StringBuilder();
    SyntheticDataset data = new SyntheticDataset("s3://secure/d/", 40, 2);
    try (EmbeddedS3 s3 = EmbeddedS3.builder().credentials(accessKey, secretKey).start()) {
      s3.createBucket("secure");
      seen.append(s3).append('\n');
      try (S3AsyncClient sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint())
          .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
          .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKey,
              secretKey)).build()) {
        for (var e : data.objects().entrySet()) {
          S3Uri u = S3Uri.parse(e.getKey());
          sdk.putObject(b -> b.bucket(u.bucket()).key(u.key()), AsyncRequestBody.fromBytes(e.getValue())).join();
        }
      }
      // A successful epoch, a missing key, and a wrong secret, all at DEBUG.
      try (S3ObjectStore store = S3ObjectStore.builder().endpoint(s3.endpoint()).region("us-east-1")
          .credentials(accessKey, secretKey).pathStyle(true).build();
           DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(store)
               .transform(SyntheticDataset.identify()).batchSize(8).build()) {
        seen.append(store).append('\n').append(loader).append('\n');
        try (BatchIterator it = loader.epoch(0)) {
          while (it.hasNext()) {
            it.next();
          }
        }
        seen.append(loader.stats()).append('\n');
        Manifest missing = Manifest.builder("s3://secure/d/").add("class0/none.txt", "class0").build();
        try (DataLoader bad = DataLoader.builder().manifest(missing).store(store).transform(SyntheticDataset.identify())
            .batchSize(1).build(); BatchIterator it = bad.epoch(0)) {
          seen.append(text(assertThrows(SluiceException.class, it::next)));
        }
      }
      try (S3ObjectStore wrong = S3ObjectStore.builder().endpoint(s3.endpoint()).region("us-east-1")
          .credentials(accessKey, wrongSecret).pathStyle(true).build()) {
        seen.append(wrong).append('\n');
        CompletionException e = assertThrows(CompletionException.class,
            () -> wrong.get(ObjectRef.of(data.uri(0))).join());
        assertTrue(e.getCause().getMessage().contains(data.uri(0)), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("403"), e.getCause().getMessage());
        assertFalse(((SluiceException) e.getCause()).retryable(), "a refused signature will not pass on retry");
        seen.append(text(e));
      }
    } finally {
      root.detachAppender(captured);
      root.setLevel(before);
      for (int i = 0; i < quieted.size(); i++) {
        quieted.get(i).setLevel(quietedLevels.get(i));
      }
    }
    StringBuilder logs = new StringBuilder();
    StringBuilder ours = new StringBuilder();
    for (ILoggingEvent event : captured.list) {
      StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage())
          .append('\n');
      if (event.getThrowableProxy() != null) {
        proxyText(event.getThrowableProxy(), line);
      }
      logs.append(line);
      if (event.getLoggerName().startsWith("io.sluice")) {
        ours.append(line);
      }
    }
    assertTrue(captured.list.size() > 50, "DEBUG logging was on: " + captured.list.size() + " events");
    assertFalse(logs.toString().contains(secretKey), "the secret key is in a log line");
    assertFalse(logs.toString().contains(wrongSecret), "the wrong secret key is in a log line");
    assertFalse(seen.toString().contains(secretKey), "the secret key is in an exception or toString()");
    assertFalse(seen.toString().contains(wrongSecret), "the wrong secret is in an exception or toString()");
    assertFalse(seen.toString().contains(accessKey), "the access key id is in an exception or toString()");
    assertFalse(ours.toString().contains(accessKey), "the access key id is in Sluice's own logs");
  }

  @Test
  void plainHttpToAnotherMachineNeedsAnOptIn() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> S3ObjectStore.builder().endpoint(URI.create("http://10.1.2.3:9000")).region("us-east-1")
            .credentials("a", "b").build());
    assertTrue(e.getMessage().contains("unencrypted") && e.getMessage().contains("allowPlainHttp"), e.getMessage());
    S3ObjectStore.builder().endpoint(URI.create("http://10.1.2.3:9000")).region("us-east-1").credentials("a", "b")
        .allowPlainHttp(true).build().close();
    S3ObjectStore.builder().endpoint(URI.create("http://127.0.0.1:9000")).region("us-east-1").credentials("a", "b")
        .build().close();
    S3ObjectStore.builder().endpoint(URI.create("http://[::1]:9000")).region("us-east-1").credentials("a", "b")
        .build().close();
    S3ObjectStore.builder().endpoint(URI.create("https://s3.example.com")).region("us-east-1").credentials("a", "b")
        .build().close();
  }

  @Test
  void objectsLargerThanTheLimitAreRefusedBeforeBuffering() throws Exception {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
      s3.createBucket("big");
      try (S3AsyncClient sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint())
          .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
          .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(s3.accessKey(),
              s3.secretKey())).build()) {
        sdk.putObject(b -> b.bucket("big").key("huge.bin"), AsyncRequestBody.fromBytes(new byte[3_000_000])).join();
        sdk.putObject(b -> b.bucket("big").key("small.bin"), AsyncRequestBody.fromBytes(new byte[1000])).join();
      }
      try (FaultProxy counter = FaultProxy.builder(s3.endpoint()).start();
           S3ObjectStore store = S3ObjectStore.builder().endpoint(counter.endpoint()).region("us-east-1")
               .credentials(s3.accessKey(), s3.secretKey()).pathStyle(true).maxObjectSize(1_000_000).build()) {
        assertEquals(1000, store.get(ObjectRef.of("s3://big/small.bin")).join().size());
        CompletionException byHeader = assertThrows(CompletionException.class,
            () -> store.get(ObjectRef.of("s3://big/huge.bin")).join());
        assertTrue(byHeader.getCause().getMessage().contains("s3://big/huge.bin is 3000000 bytes, more than the limit "
            + "of 1000000 (maxObjectSize): refused before buffering"), byHeader.getCause().getMessage());
        long gets = counter.objectGets();
        CompletionException byManifest = assertThrows(CompletionException.class,
            () -> store.get(new ObjectRef("s3://big/huge.bin", 3_000_000, null, null)).join());
        assertTrue(byManifest.getCause().getMessage().contains("recorded as 3000000 bytes"),
            byManifest.getCause().getMessage());
        assertEquals(gets, counter.objectGets(), "a recorded size over the limit sends no request");
      }
    }
  }
}
