package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.s3.embedded.EmbeddedS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

/**
 * {@code sluice inspect --boxes / --masks} against a real S3 server (s3proxy): the sheet's pixels are read back,
 * so a box or mask drawn in the wrong place (e.g. not flipped with the image) fails.
 *
 * <p>The image is a 64x48 grey PNG whose one object is {@code [8, 28) x [10, 26)}; its mask is white (class 0,
 * BACKGROUND) with the object red (class 1, circle). With {@code --cell 128} the image is drawn at twice its
 * size, 128x96, at (6, 22) on the sheet (a 6 px gap, then centred in the 128 px cell), so image pixel
 * {@code x} starts at sheet column {@code 6 + 2x} and image row {@code y} at sheet row {@code 22 + 2y}.
 */
class InspectOverlaysTest {
  private static final String BUCKET = "overlays";
  private static final String PREFIX = "s3://" + BUCKET + "/";
  private static final int GREY = 0x808080;
  private static final int RED = 0xFF0000;
  private static final String BOX = "{\"class_id\": 0, \"left\": 8, \"top\": 10, \"width\": 20, \"height\": 16}";

  private static EmbeddedS3 s3;

  private record Run(int status, String out, String err) {}

  @BeforeAll
  static void start() throws IOException {
    s3 = EmbeddedS3.builder().start();
    s3.createBucket(BUCKET);
    System.setProperty("aws.accessKeyId", s3.accessKey());
    System.setProperty("aws.secretAccessKey", s3.secretKey());
    try (S3AsyncClient sdk = S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
            s3.secretKey()))).forcePathStyle(true).build()) {
      put(sdk, "images/0.png", png(GREY, GREY));
      put(sdk, "images/1.png", png(GREY, GREY));
      put(sdk, "masks/0.png", png(0xFFFFFF, RED));
    }
  }

  private static void put(S3AsyncClient sdk, String key, byte[] bytes) {
    sdk.putObject(b -> b.bucket(BUCKET).key(key), AsyncRequestBody.fromBytes(bytes)).join();
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    if (s3 != null) {
      s3.close();
    }
  }

  /** A 64x48 PNG: {@code object} inside [8, 28) x [10, 26), {@code background} elsewhere. */
  private static byte[] png(int background, int object) throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, x >= 8 && x < 28 && y >= 10 && y < 26 ? object : background);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }

  /** A Ground Truth line for image {@code i}: a bounding-box job "bbox" and a segmentation job "label-ref". */
  private static String line(int i, String boxes) {
    return "{\"source-ref\": \"" + PREFIX + "images/" + i + ".png\", "
        + "\"bbox\": {\"image_size\": [{\"width\": 64, \"height\": 48, \"depth\": 3}], \"annotations\": [" + boxes
        + "]}, \"bbox-metadata\": {\"class-map\": {\"0\": \"circle\"}, \"type\": \"groundtruth/object-detection\"}, "
        + "\"label-ref\": \"" + PREFIX + "masks/" + i + ".png\", "
        + "\"label-ref-metadata\": {\"internal-color-map\": {\"0\": {\"class-name\": \"BACKGROUND\", "
        + "\"hex-color\": \"#ffffff\"}, \"1\": {\"class-name\": \"circle\", \"hex-color\": \"#ff0000\"}}, "
        + "\"type\": \"groundtruth/semantic-segmentation\"}}\n";
  }

  private static Path manifest(Path dir, String... lines) throws IOException {
    Path file = dir.resolve("train.manifest");
    Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8);
    return file;
  }

  private static Run sluice(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint", s3.endpoint().toString(), "--path-style"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static int rgb(BufferedImage sheet, int x, int y) {
    return sheet.getRGB(x, y) & 0xFFFFFF;
  }

  @Test
  void boxesFollowTheFlipAndAreOutlinedInTheirClassColour(@TempDir Path dir) throws IOException {
    Path train = manifest(dir, line(0, BOX));
    Path out = dir.resolve("boxes.png");
    Run plain = sluice("inspect", train.toString(), "--boxes", "bbox", "--chain", "resize(64,48)", "--cell", "128",
        "--out", out.toString());
    assertEquals(0, plain.status(), plain.out() + plain.err());
    assertTrue(plain.out().endsWith("; boxes of bbox" + System.lineSeparator()), plain.out());
    // [8, 28) x [10, 26) -> sheet columns 22..61; where a flip would put it, [36, 56) -> columns 78..117
    assertBox(ImageIO.read(out.toFile()), 22, 61, 78, 117);

    Run flipped = sluice("inspect", train.toString(), "--boxes", "bbox", "--chain", "horizontalFlip(1)", "--cell",
        "128", "--out", out.toString());
    assertEquals(0, flipped.status(), flipped.out() + flipped.err());
    assertBox(ImageIO.read(out.toFile()), 78, 117, 22, 61);
  }

  /**
   * The box's outline (2 px inside its edges, rows 42..73: image rows [10, 26)) at sheet columns {@code left} to
   * {@code right}, the image inside it, and no outline at columns {@code notLeft} and {@code notRight}.
   */
  private static void assertBox(BufferedImage sheet, int left, int right, int notLeft, int notRight) {
    int outline = ContactSheet.boxColour(0);
    for (int y : new int[] {50, 57, 65}) {
      assertEquals(outline, rgb(sheet, left, y), "left edge at row " + y);
      assertEquals(outline, rgb(sheet, left + 1, y), "left edge, second pixel, at row " + y);
      assertEquals(outline, rgb(sheet, right, y), "right edge at row " + y);
      assertEquals(GREY, rgb(sheet, left + 2, y), "inside the outline at row " + y);
      assertEquals(GREY, rgb(sheet, notLeft, y), "no box at column " + notLeft + ", row " + y);
      assertEquals(GREY, rgb(sheet, notRight, y), "no box at column " + notRight + ", row " + y);
    }
    assertEquals(outline, rgb(sheet, (left + right) / 2, 73), "bottom edge");
    assertEquals(GREY, rgb(sheet, (notLeft + notRight) / 2, 73), "no bottom edge at columns " + notLeft + "..");
  }

  @Test
  void theMaskIsOverlaidWhereItsClassIsAndNowhereElse(@TempDir Path dir) throws IOException {
    Path train = manifest(dir, line(0, BOX));
    Path out = dir.resolve("masks.png");
    Run run = sluice("inspect", train.toString(), "--masks", "label-ref", "--chain", "horizontalFlip(1)", "--cell",
        "128", "--out", out.toString());
    assertEquals(0, run.status(), run.out() + run.err());
    BufferedImage sheet = ImageIO.read(out.toFile());
    assertEquals(140, sheet.getWidth());
    assertEquals(6 + 128 + 34 + 6 + 18 + 6, sheet.getHeight(), "one cell and a line of legend");
    int tinted = ContactSheet.blend(GREY, RED);
    assertEquals(0xBF4040, tinted, "half grey, half red");
    int inside = 0;
    int outside = 0;
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        // the mask flipped with the image: the object is at [36, 56) x [10, 26)
        boolean object = x >= 36 && x < 56 && y >= 10 && y < 26;
        for (int[] at : new int[][] {{6 + 2 * x, 22 + 2 * y}, {7 + 2 * x, 23 + 2 * y}}) {
          assertEquals(object ? tinted : GREY, rgb(sheet, at[0], at[1]), "image pixel (" + x + ", " + y + ")");
        }
        inside += object ? 1 : 0;
        outside += object ? 0 : 1;
      }
    }
    assertEquals(20 * 16, inside);
    assertEquals(64 * 48 - 20 * 16, outside);
    assertEquals(RED, rgb(sheet, 12, sheet.getHeight() - 6 - 18 + 9), "the legend's swatch for circle");
  }

  @Test
  void aBadAttributeCrossesOutItsSampleNamingTheLineKeyAndCause(@TempDir Path dir) throws IOException {
    Path train = manifest(dir, line(0, BOX),
        "{\"source-ref\": \"" + PREFIX + "images/1.png\", \"bbox\": {\"annotations\": \"none\"}}\n");
    Path out = dir.resolve("bad.png");
    Run boxes = sluice("inspect", train.toString(), "--boxes", "bbox", "--chain", "resize(64,48)", "--out",
        out.toString());
    assertEquals(1, boxes.status(), boxes.out() + boxes.err());
    assertTrue(boxes.err().contains("entry 1 (" + PREFIX + "images/1.png, " + train + " line 2) has 'bbox' = "
        + "{annotations=none}, expected Ground Truth bounding-box output"), boxes.err());
    assertFalse(boxes.err().contains("images/0.png"), "the good sample is drawn: " + boxes.err());
    assertTrue(boxes.out().contains("1 of 2 samples failed (crossed out in the sheet)"), boxes.out());
    assertTrue(Files.exists(out), "the sheet is still written");

    Run masks = sluice("inspect", train.toString(), "--masks", "label-ref", "--chain", "resize(64,48)", "--out",
        out.toString());
    assertEquals(1, masks.status(), masks.out() + masks.err());
    assertTrue(masks.err().contains("entry 1 (" + PREFIX + "images/1.png, " + train + " line 2) has no attribute "
        + "'label-ref'"), masks.err());

    Path noMask = manifest(dir, line(1, BOX));
    Run missing = sluice("inspect", noMask.toString(), "--masks", "label-ref", "--out", out.toString());
    assertEquals(1, missing.status(), missing.out() + missing.err());
    assertTrue(missing.err().contains("has a mask " + PREFIX + "masks/1.png in 'label-ref' that cannot be fetched"),
        missing.err());

    Path csv = dir.resolve("train.csv");
    Files.writeString(csv, "uri,label\n" + PREFIX + "images/0.png,circle\n");
    Run notAugmented = sluice("inspect", csv.toString(), "--boxes", "bbox", "--out", out.toString());
    assertEquals(2, notAugmented.status(), notAugmented.out() + notAugmented.err());
    assertTrue(notAugmented.err().contains("--boxes read an augmented manifest's attributes (JSON Lines), but "
        + csv + " is a CSV"), notAugmented.err());
  }

  @Test
  void helpDocumentsBoxesAndMasks() {
    Run help = sluice("inspect", "--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("--boxes=ATTR") && help.out().contains("class-map"), help.out());
    assertTrue(help.out().contains("--masks=ATTR") && help.out().contains("internal-color-map"), help.out());
  }
}
