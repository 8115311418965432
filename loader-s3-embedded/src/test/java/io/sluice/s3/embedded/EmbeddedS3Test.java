package io.sluice.s3.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class EmbeddedS3Test {

  private static S3Client client(EmbeddedS3 s3, String secretKey) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secretKey)))
        .forcePathStyle(true)
        .build();
  }

  @Test
  void putAndGetThroughTheSdkWithSignatureV4() {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
      assertEquals("http", s3.endpoint().getScheme());
      assertEquals("127.0.0.1", s3.endpoint().getHost());
      assertTrue(s3.port() > 0, "a free port was chosen: " + s3.port());
      s3.createBucket("data");
      s3.createBucket("data"); // idempotent
      byte[] content = "hello, sluice".getBytes(StandardCharsets.UTF_8);
      try (S3Client client = client(s3, s3.secretKey())) {
        client.putObject(b -> b.bucket("data").key("greetings/hello.txt"), RequestBody.fromBytes(content));
        assertArrayEquals(content,
            client.getObjectAsBytes(b -> b.bucket("data").key("greetings/hello.txt")).asByteArray());
        assertEquals(1, client.listObjectsV2(b -> b.bucket("data").prefix("greetings/")).keyCount());
      }
    }
  }

  @Test
  void countsEachObjectsGetsAtTheServer() {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().latency(Duration.ofMillis(1)).start();
        S3Client client = client(s3, s3.secretKey())) {
      s3.createBucket("data");
      client.putObject(b -> b.bucket("data").key("a.bin"), RequestBody.fromBytes(new byte[] {1, 2, 3}));
      client.putObject(b -> b.bucket("data").key("b.bin"), RequestBody.fromBytes(new byte[] {4}));
      client.getObjectAsBytes(b -> b.bucket("data").key("a.bin"));
      client.getObjectAsBytes(b -> b.bucket("data").key("a.bin").range("bytes=0-0"));
      client.getObjectAsBytes(b -> b.bucket("data").key("b.bin"));
      client.headObject(b -> b.bucket("data").key("b.bin"));
      client.listObjectsV2(b -> b.bucket("data"));
      assertEquals(java.util.Map.of("data/a.bin", 2L, "data/b.bin", 1L), s3.objectGets());
      s3.resetObjectGets();
      assertEquals(java.util.Map.of(), s3.objectGets());
      client.getObjectAsBytes(b -> b.bucket("data").key("b.bin"));
      assertEquals(java.util.Map.of("data/b.bin", 1L), s3.objectGets());
    }
  }

  @Test
  void refusesAWrongSecret() {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start(); S3Client client = client(s3, "not-the-secret")) {
      s3.createBucket("data");
      S3Exception e = assertThrows(S3Exception.class, () -> client.listObjectsV2(b -> b.bucket("data")));
      assertEquals(403, e.statusCode());
    }
  }

  @Test
  void closeStopsTheServerAndItsThreads() throws Exception {
    EmbeddedS3 s3 = EmbeddedS3.builder().start();
    int port = s3.port();
    s3.close();
    s3.close(); // idempotent
    assertTrue(s3.toString().contains("closed"), s3.toString());
    assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", port).close(), "port " + port);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (jettyThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, jettyThreads(), "S3Proxy-Jetty threads left running");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s3.createBucket("late"));
    assertTrue(e.getMessage().contains("late"), e.getMessage());
  }

  private static long jettyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("S3Proxy-Jetty"))
        .count();
  }

  @Test
  void listensOnTheRequestedPort() throws Exception {
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    try (EmbeddedS3 s3 = EmbeddedS3.builder().port(free).start()) {
      assertEquals(free, s3.port());
      assertEquals("http://127.0.0.1:" + free, s3.endpoint().toString());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> EmbeddedS3.builder().port(free).start());
      assertTrue(e.getMessage().contains(Integer.toString(free)), e.getMessage());
    }
  }

  @Test
  void dataDirectoryOutlivesTheServer(@TempDir Path dir) {
    Path data = dir.resolve("s3-data");
    byte[] content = {1, 2, 3};
    try (EmbeddedS3 s3 = EmbeddedS3.builder().dataDirectory(data).start(); S3Client client = client(s3, s3.secretKey())) {
      s3.createBucket("kept");
      client.putObject(b -> b.bucket("kept").key("a/b.bin"), RequestBody.fromBytes(content));
      assertTrue(s3.toString().contains(data.toString()), s3.toString());
    }
    assertTrue(Files.isDirectory(data.resolve("kept")));
    try (EmbeddedS3 s3 = EmbeddedS3.builder().dataDirectory(data).start(); S3Client client = client(s3, s3.secretKey())) {
      assertArrayEquals(content, client.getObjectAsBytes(b -> b.bucket("kept").key("a/b.bin")).asByteArray());
    }
  }

  @Test
  void latencyDelaysEachGet() {
    Duration latency = Duration.ofMillis(150);
    try (EmbeddedS3 s3 = EmbeddedS3.builder().latency(latency).start(); S3Client client = client(s3, s3.secretKey())) {
      s3.createBucket("slow");
      client.putObject(b -> b.bucket("slow").key("k"), RequestBody.fromBytes(new byte[] {42}));
      client.getObjectAsBytes(b -> b.bucket("slow").key("k")); // warm up the connection
      long start = System.nanoTime();
      client.getObjectAsBytes(b -> b.bucket("slow").key("k"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      // A lower bound only: the server sleeps at least this long. No upper bound (benchmarks measure that).
      assertTrue(took.compareTo(latency) >= 0, "GET took " + took + ", expected at least " + latency);
      assertTrue(s3.toString().contains("150 ms"), s3.toString());
    }
  }

  @Test
  void toStringNamesTheEndpointButNotTheSecret() {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
      String text = s3.toString();
      assertTrue(text.contains(s3.endpoint().toString()), text);
      assertFalse(text.contains(s3.secretKey()), text);
    }
  }

  @Test
  void settersNameTheBadValue() {
    EmbeddedS3.Builder builder = EmbeddedS3.builder();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.port(70_000)).getMessage()
        .contains("70000"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.port(-1)).getMessage().contains("-1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.latency(Duration.ofMillis(-5)))
        .getMessage().contains("PT-0.005S"));
    assertThrows(NullPointerException.class, () -> builder.latency(null));
    assertThrows(NullPointerException.class, () -> builder.dataDirectory(null));
  }

  @Test
  void refusesInvalidBucketNames() {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
      for (String bad : new String[] {"", "ab", "Upper", "under_score", "-dash", "dot..dot"}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s3.createBucket(bad));
        assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      }
    }
  }

  @Test
  void dataDirectoryMustNotBeAFile(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("plain.txt"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddedS3.builder().dataDirectory(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
