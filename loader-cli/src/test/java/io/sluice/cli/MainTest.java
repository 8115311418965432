package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.s3.embedded.EmbeddedS3;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/** Runs the command line in this JVM against a real S3 server (s3proxy), as a user would. */
class MainTest {
  private static final String BUCKET = "cli";
  private static final String ROOT = "s3://" + BUCKET + "/images/";

  private static EmbeddedS3 s3;
  private static S3AsyncClient sdk;

  private record Run(int status, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    s3.createBucket("cli-versions");
    // The command line takes credentials from the AWS default chain, whose first link is these properties.
    System.setProperty("aws.accessKeyId", s3.accessKey());
    System.setProperty("aws.secretAccessKey", s3.secretKey());
    sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .forcePathStyle(true).build();
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (String c : List.of("cat", "dog", "\u732b-neko")) {
      for (int i = 0; i < 60; i++) {
        String key = "images/" + c + "/" + (i % 2 == 0 ? "" : "nested/") + "photo " + i + ".jpg";
        puts.add(sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromString(c + " " + i)));
      }
    }
    puts.add(sdk.putObject(b -> b.bucket(BUCKET).key("images/dog/readme.txt"), AsyncRequestBody.fromString("x")));
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (sdk != null) {
      sdk.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static Run sluice(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Run run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertFalse(run.all().contains(s3.secretKey()), "never print the secret: " + run.all());
    return run;
  }

  private static String[] withS3(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint", s3.endpoint().toString(), "--path-style"));
    return all.toArray(String[]::new);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static void put(String key, String content) {
    sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromString(content)).join();
  }

  @Test
  void everyCommandHasHelp() {
    Run top = sluice("manifest", "--help");
    assertEquals(0, top.status());
    assertTrue(top.out().contains("build") && top.out().contains("validate") && top.out().contains("stats"), top.out());
    for (String command : List.of("build", "validate", "stats")) {
      Run help = sluice("manifest", command, "--help");
      assertEquals(0, help.status(), help.all());
      assertTrue(help.out().startsWith("Usage: sluice manifest " + command), help.out());
      assertTrue(help.out().contains("--endpoint"), help.out());
    }
    assertTrue(sluice("manifest", "build", "--help").out().contains("--min-per-class=N"));
    assertEquals(2, sluice().status(), "no arguments: usage, and a usage status");
  }

  @Test
  void badCommandLinesNameWhatIsWrong() {
    Run unknown = sluice("manifest", "bild");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("'bild'") && unknown.err().contains("Did you mean: manifest build?"),
        unknown.err());
    Run option = sluice("manifest", "build", "--root", ROOT, "--colour", "red");
    assertEquals(2, option.status());
    assertTrue(option.err().contains("Unknown options: '--colour', 'red'"), option.err());
    Run noRoot = sluice("manifest", "build");
    assertEquals(2, noRoot.status());
    assertTrue(noRoot.err().contains("Missing required option: '--root=URI'"), noRoot.err());
    Run split = sluice("manifest", "build", "--root", ROOT, "--split", "0.8,0.2");
    assertEquals(2, split.status());
    assertTrue(split.err().contains("'0.8,0.2'"), split.err());
    Run negative = sluice("manifest", "build", "--root", ROOT, "--split", "0.8,-0.1,0.3");
    assertTrue(negative.err().contains("validation ratio") && negative.err().contains("-0.1"), negative.err());
    Run min = sluice("manifest", "build", "--root", ROOT, "--min-per-class", "many");
    assertTrue(min.err().contains("Invalid value for option '--min-per-class': 'many' is not an int"), min.err());
    Run belowZero = sluice("manifest", "build", "--root", ROOT, "--min-per-class", "-1");
    assertEquals(2, belowZero.status());
    assertTrue(belowZero.err().contains("option --min-per-class must be 0 or more, was -1"), belowZero.err());
    Run format = sluice("manifest", "build", "--root", ROOT, "--format", "xml");
    assertTrue(format.err().contains("unknown manifest format 'xml'"), format.err());
    Run stats = sluice("manifest", "stats");
    assertEquals(2, stats.status());
    Run missing = sluice("manifest", "stats", "/no/such/file.manifest");
    assertTrue(missing.err().contains("no such file: /no/such/file.manifest"), missing.err());
  }

  @Test
  void buildWritesManifestsLabelsAndSummaryThatValidateAndStatsAccept(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Run build = sluice(withS3("manifest", "build", "--root", ROOT, "--suffix", ".jpg", "--seed", "5",
        "--min-per-class", "2", "--out", out.toString(), "--format", "csv"));
    assertEquals(0, build.status(), build.all());
    for (String channel : List.of("train", "validation", "test")) {
      Path file = out.resolve(channel + ".csv");
      assertTrue(Files.exists(file), file.toString());
      assertTrue(build.out().contains("sha256 " + sha256(file)), build.out());
    }
    assertTrue(build.out().contains("1 objects left out by suffix"), build.out());
    assertTrue(build.out().contains("\u732b-neko"), "the class table: " + build.out());
    LabelMap labels = LabelMap.read(out.resolve("labels.tsv"));
    assertEquals(List.of("cat", "dog", "\u732b-neko"), labels.names());
    assertTrue(Files.readString(out.resolve("summary.json")).contains("\"minPerClass\" : 2"));

    String[] files = {out.resolve("train.csv").toString(), out.resolve("validation.csv").toString(),
        out.resolve("test.csv").toString()};
    Run validate = sluice(withS3("manifest", "validate", files[0], files[1], files[2], "--labels",
        out.resolve("labels.tsv").toString(), "--check-objects"));
    assertEquals(0, validate.status(), validate.all());
    assertTrue(validate.out().contains("checked 180 objects: 0 missing, 0 changed"), validate.out());
    assertTrue(validate.out().trim().endsWith("valid"), validate.out());

    Run stats = sluice("manifest", "stats", files[0]);
    assertEquals(0, stats.status(), stats.all());
    assertTrue(stats.out().contains("format    CSV (csv)"), stats.out());
    assertTrue(stats.out().contains("sha256    " + sha256(out.resolve("train.csv"))), stats.out());
    assertTrue(stats.out().contains("prefix    " + ROOT), stats.out());
    Manifest train = Manifests.reader().labels(labels).build().read(out.resolve("train.csv"));
    assertTrue(stats.out().contains("digest " + train.digest()), stats.out());
    assertTrue(stats.out().contains("records   size " + train.size() + "/" + train.size() + ", etag "
        + train.size() + "/" + train.size()), stats.out());
  }

  @Test
  void validateFindsChangedAndMissingObjects(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("m");
    Run twice = sluice(withS3("manifest", "build", "--root", ROOT, "--out", out.toString(), "--root", ROOT));
    assertEquals(2, twice.status());
    assertTrue(twice.err().contains("option '--root' (URI) should be specified only once"), twice.err());
    Run build = sluice(withS3("manifest", "build", "--root", "s3://" + BUCKET + "/changing/", "--split", "1,0,0",
        "--out", out.toString(), "--format", "augmented", "--min-per-class", "0"));
    assertEquals(1, build.status(), build.all());
    assertTrue(build.err().contains("found no objects under s3://" + BUCKET + "/changing/"), build.err());
    for (int i = 0; i < 6; i++) {
      put("changing/c" + (i % 2) + "/" + i + ".jpg", "v1 " + i);
    }
    build = sluice(withS3("manifest", "build", "--root", "s3://" + BUCKET + "/changing/", "--split", "1,0,0",
        "--out", out.toString(), "--format", "augmented"));
    assertEquals(0, build.status(), build.all());
    Path train = out.resolve("train.jsonl");
    Manifest m = Manifests.reader().build().read(train);
    int changed = 0;
    while (!m.key(changed).equals("c1/3.jpg")) {
      changed++;
    }
    String expected = m.etag(changed);
    put("changing/c1/3.jpg", "v2 3");
    sdk.deleteObject(b -> b.bucket(BUCKET).key("changing/c0/4.jpg")).join();

    Run validate = sluice(withS3("manifest", "validate", train.toString(), "--check-objects"));
    assertEquals(1, validate.status(), validate.all());
    assertTrue(validate.err().contains("s3://" + BUCKET + "/changing/c1/3.jpg: changed: expected ETag \"" + expected
        + "\", found \""), validate.err());
    assertTrue(validate.err().contains("s3://" + BUCKET + "/changing/c0/4.jpg: missing"), validate.err());
    assertTrue(validate.out().contains("checked 6 objects: 1 missing, 1 changed"), validate.out());
    assertTrue(validate.out().trim().endsWith("2 problem(s)"), validate.out());
  }

  @Test
  void validateReportsBadLinesLeaksAndEncodingsAcrossFiles(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "uri,label,channel\ns3://b/a/1.jpg,a,train\ns3://b/a/2.jpg,a,tset\n");
    Run broken = sluice("manifest", "validate", bad.toString());
    assertEquals(1, broken.status());
    assertTrue(broken.err().contains(bad + ":3:18: unknown channel 'tset'"), broken.err());

    Path train = dir.resolve("train.manifest");
    Path test = dir.resolve("test.manifest");
    Files.writeString(train, "[{\"prefix\":\"s3://b/d/\"},\"a/1.jpg\",\"b/2.jpg\",\"c/3.jpg\"]");
    Files.writeString(test, "[{\"prefix\":\"s3://b/d/\"},\"a/9.jpg\",\"c/3.jpg\"]");
    Run leaky = sluice("manifest", "validate", train.toString(), test.toString());
    assertEquals(1, leaky.status(), leaky.all());
    assertTrue(leaky.err().contains("leak: s3://b/d/c/3.jpg in train and test"), leaky.err());
    assertTrue(leaky.err().contains("labelled [a, c], but " + train + " [a, b, c]"), "test lacks class b, so "
        + "its sorted encoding differs: " + leaky.err());
    assertTrue(leaky.out().contains("train.manifest: ok: SageMaker ManifestFile, train 3 entries, 3 classes"),
        leaky.out());
    assertTrue(leaky.out().contains("test.manifest: ok: SageMaker ManifestFile, test 2 entries, 2 classes"),
        leaky.out());
    Path labels = dir.resolve("labels.tsv");
    Files.writeString(labels, "0\ta\n1\tb\n2\tc\n");
    Run shared = sluice("manifest", "validate", train.toString(), test.toString(), "--labels", labels.toString());
    assertEquals(1, shared.status());
    assertFalse(shared.err().contains("labelled"), "one encoding: " + shared.err());
    assertTrue(shared.out().trim().endsWith("1 problem(s)"), shared.out());
  }

  @Test
  void readsManifestsFromS3AndRecordsVersionIds(@TempDir Path dir) throws Exception {
    sdk.putBucketVersioning(b -> b.bucket("cli-versions")
        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))).join();
    for (int i = 0; i < 8; i++) {
      String key = "set/" + (i % 2 == 0 ? "even" : "odd") + "/" + i + ".jpg";
      sdk.putObject(b -> b.bucket("cli-versions").key(key), AsyncRequestBody.fromString("old " + key)).join();
      sdk.putObject(b -> b.bucket("cli-versions").key(key), AsyncRequestBody.fromString("new " + key)).join();
    }
    Path out = dir.resolve("v");
    Run build = sluice(withS3("manifest", "build", "--root", "s3://cli-versions/set/", "--versions", "--split",
        "1,0,0", "--out", out.toString(), "--format", "csv"));
    assertEquals(0, build.status(), build.all());
    assertTrue(build.out().contains("8 objects (latest versions)"), build.out());
    String csv = Files.readString(out.resolve("train.csv"));
    assertTrue(csv.startsWith("uri,label,size,etag,version_id\n"), csv);
    Manifest m = Manifests.reader().build().read(out.resolve("train.csv"));
    for (int i = 0; i < m.size(); i++) {
      assertTrue(m.versionId(i) != null && !m.versionId(i).isEmpty(), csv);
    }

    sdk.putObject(b -> b.bucket(BUCKET).key("manifests/train.csv"),
        AsyncRequestBody.fromBytes(Files.readAllBytes(out.resolve("train.csv")))).join();
    Run stats = sluice(withS3("manifest", "stats", "s3://" + BUCKET + "/manifests/train.csv"));
    assertEquals(0, stats.status(), stats.all());
    assertTrue(stats.out().contains("version id 8/8"), stats.out());
    assertTrue(stats.out().contains("sha256    " + sha256(out.resolve("train.csv"))), stats.out());

    // A newer version on top does not break a manifest pinned to version ids.
    sdk.putObject(b -> b.bucket("cli-versions").key("set/odd/1.jpg"), AsyncRequestBody.fromString("newest")).join();
    Run check = sluice(withS3("manifest", "validate", "s3://" + BUCKET + "/manifests/train.csv", "--check-objects"));
    assertEquals(0, check.status(), check.all());
    Run missing = sluice(withS3("manifest", "stats", "s3://" + BUCKET + "/manifests/none.csv"));
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("s3://" + BUCKET + "/manifests/none.csv") && missing.err().contains("404"),
        missing.err());
  }

  @Test
  void buildFailsListingEveryClassShortOfTheMinimum(@TempDir Path dir) {
    put("few/rare/1.jpg", "1");
    put("few/empty/", "");
    for (int i = 0; i < 40; i++) {
      put("few/common/" + i + ".jpg", "c" + i);
    }
    Run run = sluice(withS3("manifest", "build", "--root", "s3://" + BUCKET + "/few/", "--out",
        dir.resolve("x").toString(), "--min-per-class", "1"));
    assertEquals(1, run.status(), run.all());
    assertTrue(run.err().contains("2 class(es) cannot have 1 object(s) in every channel"), run.err());
    assertTrue(run.err().contains("'empty' (0 objects") && run.err().contains("'rare' (1 objects"), run.err());
    assertFalse(Files.exists(dir.resolve("x")), "nothing written when the split fails");
  }

  @Test
  void theDefaultFormatKeepsThePinsAndKeyOnlyFormatsSaySoWhenTheyDropThem(@TempDir Path dir) throws IOException {
    Run pinned = sluice(withS3("manifest", "build", "--root", ROOT, "--suffix", ".jpg", "--out",
        dir.resolve("a").toString()));
    assertEquals(0, pinned.status(), pinned.all());
    Manifest train = Manifests.reader().build().read(dir.resolve("a/train.jsonl"));
    assertTrue(train.pinned(), "augmented by default, with size and ETag");
    assertFalse(pinned.out().contains("Note:"), pinned.out());

    Run keys = sluice(withS3("manifest", "build", "--root", ROOT, "--suffix", ".jpg", "--format", "manifest",
        "--out", dir.resolve("m").toString()));
    assertEquals(0, keys.status(), keys.all());
    assertTrue(Files.exists(dir.resolve("m/train.manifest")));
    assertTrue(keys.out().contains("Note: a SageMaker ManifestFile records no size or ETag"), keys.out());
  }

  /** Uploads {@code n} small JPEGs per class under {@code photos/}: a coloured block on grey, placed by index. */
  private static void putPhotos(int n) throws IOException {
    List<CompletableFuture<?>> puts = new ArrayList<>();
    Color[] colours = {Color.RED, Color.BLUE};
    for (int c = 0; c < colours.length; c++) {
      for (int i = 0; i < n; i++) {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, 64, 48);
        g.setColor(colours[c]);
        g.fillRect(i * 3 % 40, i * 5 % 24, 24, 24);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        String key = "photos/" + (c == 0 ? "red" : "blue") + "/" + i + ".jpg";
        puts.add(sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(jpeg.toByteArray())));
      }
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
  }

  private static Path photoManifest(Path dir) throws IOException {
    putPhotos(12);
    Run build = sluice(withS3("manifest", "build", "--root", "s3://" + BUCKET + "/photos/", "--split", "1,0,0",
        "--format", "csv", "--out", dir.toString()));
    assertEquals(0, build.status(), build.all());
    return dir.resolve("train.csv");
  }

  @Test
  void inspectDrawsTheTrainingDrawsOfChosenSamples(@TempDir Path dir) throws IOException {
    Path train = photoManifest(dir.resolve("m"));
    Path sheet = dir.resolve("sheet.png");
    String[] args = withS3("inspect", train.toString(), "--first", "5", "--chain",
        "randomResizedCrop(32), horizontalFlip(0.5)", "--cell", "64", "--columns", "3", "--seed", "7", "--out",
        sheet.toString());
    Run run = sluice(args);
    assertEquals(0, run.status(), run.all());
    assertTrue(run.out().startsWith("Wrote " + sheet + " (216x214): 5 samples of " + train + ", epoch 0, seed 7"),
        run.out());
    BufferedImage png = ImageIO.read(sheet.toFile());
    assertEquals(216, png.getWidth(), "3 columns of 64 px and 6 px gaps");
    assertEquals(214, png.getHeight(), "2 rows of 64 px, a caption and gaps");
    byte[] first = Files.readAllBytes(sheet);
    assertEquals(0, sluice(args).status());
    assertArrayEquals(first, Files.readAllBytes(sheet), "the same seed and epoch draw the same sheet");
    args[java.util.Arrays.asList(args).indexOf("7")] = "8";
    assertEquals(0, sluice(args).status());
    assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(sheet)), "another seed, other crops");

    Run keys = sluice(withS3("inspect", train.toString(), "--key", "blue/3.jpg", "--key",
        "s3://" + BUCKET + "/photos/red/0.jpg", "--chain", "resize(40,30)", "--channels", "1", "--out",
        sheet.toString(), "--cell", "40"));
    assertEquals(0, keys.status(), keys.all());
    assertTrue(keys.out().contains("2 samples"), keys.out());
    assertEquals(6 + 2 * 46, ImageIO.read(sheet.toFile()).getWidth());

    Run badKey = sluice(withS3("inspect", train.toString(), "--key", "green/1.jpg"));
    assertEquals(2, badKey.status());
    assertTrue(badKey.err().contains("option --key: 'green/1.jpg' is not in " + train), badKey.err());
    Run badChain = sluice(withS3("inspect", train.toString(), "--chain", "resize(32,32), spin(3)"));
    assertEquals(2, badChain.status());
    assertTrue(badChain.err().contains("Invalid value for option '--chain': unknown step 'spin(3)'"), badChain.err());
    Run badSize = sluice(withS3("inspect", train.toString(), "--chain", "resize(32.5)"));
    assertTrue(badSize.err().contains("step 'resize(32.5)': needs whole numbers"), badSize.err());
    Run badFirst = sluice(withS3("inspect", train.toString(), "--first", "0"));
    assertEquals(2, badFirst.status());
    assertTrue(badFirst.err().contains("option --first must be 1 or more, was 0"), badFirst.err());
  }

  @Test
  void inspectCrossesOutASampleThatCannotBeDecodedAndNamesIt(@TempDir Path dir) throws IOException {
    Path train = photoManifest(dir.resolve("m"));
    put("photos/red/0.jpg", "not a jpeg");
    Run unpinned = sluice(withS3("inspect", train.toString(), "--key", "blue/0.jpg", "--key", "red/0.jpg", "--key",
        "red/1.jpg", "--chain", "resize(32,32)", "--out",
        dir.resolve("s.png").toString()));
    assertEquals(1, unpinned.status(), unpinned.all());
    assertTrue(unpinned.err().contains("s3://" + BUCKET + "/photos/red/0.jpg"), unpinned.err());
    assertTrue(unpinned.out().contains("1 of 3 samples failed (crossed out in the sheet)"), unpinned.out());
    assertTrue(Files.exists(dir.resolve("s.png")), "the sheet is still written");
  }

  @Test
  void benchReadsThroughTheChainAndReportsWhatTheTrainerWaited(@TempDir Path dir) throws IOException {
    Path train = photoManifest(dir.resolve("m"));
    Path chart = dir.resolve("time.png");
    Run run = sluice(withS3("bench", train.toString(), "--chain", "randomResizedCrop(32), horizontalFlip(0.5)",
        "--batch", "5", "--epochs", "2", "--trainer-ms", "3", "--chart", chart.toString()));
    assertEquals(0, run.status(), run.all());
    String out = run.out();
    assertTrue(out.contains("read       48 images in 10 batches in "), out);
    assertTrue(out.contains("GETs       48, "), "one GET per object per epoch: " + out);
    assertTrue(out.contains("failures   0 retries, 0 throttled"), out);
    assertTrue(out.contains("data wait  ") && out.contains("verdict    "), out);
    assertTrue(out.contains("trainer 3 ms per batch"), out);
    assertTrue(out.contains("  epoch 0: ") && out.contains("  epoch 1: "), out);
    assertTrue(run.err().contains("bench"), "the progress bar's last state: " + run.err());
    BufferedImage png = ImageIO.read(chart.toFile());
    assertEquals(900, png.getWidth());

    Run limited = sluice(withS3("bench", train.toString(), "--chain", "resize(16,16)", "--batch", "4", "--batches",
        "2"));
    assertEquals(0, limited.status(), limited.all());
    assertTrue(limited.out().contains("read       8 images in 2 batches"), limited.out());
    assertTrue(limited.out().contains("the data path delivers a batch every"), limited.out());

    Run bad = sluice(withS3("bench", train.toString(), "--batch", "0"));
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("option --batch must be 1 or more, was 0"), bad.err());
    Run badMs = sluice(withS3("bench", train.toString(), "--trainer-ms", "fast"));
    assertTrue(badMs.err().contains("Invalid value for option '--trainer-ms': 'fast' is not a double"), badMs.err());
  }

  @Test
  void completionVersionAndExitCodesComeFromTheCommandLine() {
    Run completion = sluice("generate-completion");
    assertEquals(0, completion.status(), completion.all());
    assertTrue(completion.out().contains("complete -F") && completion.out().contains("inspect")
        && completion.out().contains("--min-per-class"), completion.out());
    Run version = sluice("--version");
    assertEquals(0, version.status());
    assertTrue(version.out().startsWith("sluice "), version.out());
    Run help = sluice("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("2   bad command line"), help.out());
    Run unknown = sluice("bnech");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("Unmatched argument at index 0: 'bnech'"), unknown.err());
  }

  @Test
  void channelNamesComeFromFileNames() {
    assertEquals("train", ManifestInput.channelOf("s3://b/m/train.manifest"));
    assertEquals("validation", ManifestInput.channelOf("/data/validation-2024.csv"));
    assertEquals("test", ManifestInput.channelOf("test"));
    assertEquals("holdout", ManifestInput.channelOf("holdout.jsonl"));
  }
}
