package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.s3.embedded.EmbeddedS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * {@code sluice manifest build} over a real S3 server (s3proxy) in this JVM: the listing fanned out by common prefix
 * writes the same bytes as the sequential one.
 */
class BuildListingTest {
  private static final String BUCKET = "fan";
  private static final String ROOT = "s3://" + BUCKET + "/images/";

  private static EmbeddedS3 s3;
  private static int objects;

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    System.setProperty("aws.accessKeyId", s3.accessKey());
    System.setProperty("aws.secretAccessKey", s3.secretKey());
    List<String> keys = new ArrayList<>();
    for (int c = 0; c < 30; c++) {
      for (int i = 0; i < 36; i++) {
        keys.add("images/class" + c + "/" + (i % 4 == 0 ? "a/" : i % 4 == 1 ? "a/b/" : "") + i + ".jpg");
      }
    }
    keys.add("images/empty/");
    keys.add("images/readme.txt");
    objects = keys.size();
    try (S3AsyncClient sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())).forcePathStyle(true)
        .build()) {
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (String key : keys) {
        puts.add(sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromString(key)));
      }
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
    }
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (s3 != null) {
      s3.close();
    }
  }

  private static String[] build(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("manifest", "build", "--root", ROOT, "--suffix", ".jpg", "--seed",
        "11", "--min-per-class", "0", "--out", out.toString(), "--endpoint", s3.endpoint().toString(), "--path-style"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static int run(String[] args, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void fannedOutBuildWritesTheSameBytesAsTheSequentialOne(@TempDir Path dir) throws Exception {
    List<String[]> settings = List.of(new String[] {"--list-concurrency", "1"}, new String[] {},
        new String[] {"--list-concurrency", "32", "--list-depth", "1"}, new String[] {"--list-depth", "0"},
        new String[] {"--list-concurrency", "2", "--list-depth", "5"});
    String firstOut = null;
    for (int s = 0; s < settings.size(); s++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = run(build(dir.resolve("run" + s), settings.get(s)), out, err);
      String text = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("listing"), "a progress bar on stderr");
      assertTrue(err.toString(StandardCharsets.UTF_8).contains(String.valueOf(objects)), err.toString(StandardCharsets.UTF_8));
      String normalised = text.replace(dir.resolve("run" + s).toString(), "DIR");
      if (firstOut == null) {
        firstOut = normalised;
      }
      assertEquals(firstOut, normalised, "the same report, sha256 included");
    }
    List<String> files;
    try (Stream<Path> s = Files.list(dir.resolve("run0"))) {
      files = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(5, files.size(), files.toString());
    for (String f : files) {
      byte[] sequential = Files.readAllBytes(dir.resolve("run0").resolve(f));
      for (int s = 1; s < settings.size(); s++) {
        assertArrayEquals(sequential, Files.readAllBytes(dir.resolve("run" + s).resolve(f)), "run" + s + " " + f);
      }
    }
    assertTrue(firstOut.contains("31 classes"), firstOut);
  }

  @Test
  void badListSettingsAreUsageErrors(@TempDir Path dir) {
    for (String[] bad : List.of(new String[] {"--list-concurrency", "0"}, new String[] {"--list-depth", "-1"})) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      assertEquals(2, run(build(dir, bad), out, err));
      assertTrue(err.toString(StandardCharsets.UTF_8).contains(bad[0]), err.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void listingFailureNamesThePrefix(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = build(dir);
    args[3] = "s3://no-such-bucket/images/";
    assertEquals(1, run(args, out, err));
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("s3://no-such-bucket/images/") && message.contains("bucket does not exist"), message);
  }
}
