package io.sluice.examples;

import java.net.URI;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The demo's command-line flags, parsed by picocli.
 *
 * @param endpoint an S3 endpoint to use instead of the embedded server, or {@code null}
 * @param bucket the bucket to write the dataset to
 * @param prefix the key prefix under the bucket, ending in '/'
 * @param region the signing region
 * @param accessKey an access key (with {@code secretKey}), or {@code null} for the default credentials chain
 * @param secretKey the secret key, or {@code null}
 * @param images how many images to generate
 * @param epochs how many epochs to train
 * @param batchSize samples per batch
 * @param seed the seed for the dataset, the shuffle and the model
 * @param skipUpload read an existing dataset instead of uploading one
 * @param minAccuracy exit with status 1 if the final validation accuracy is lower
 * @param ranks how many training processes the multi-rank demo runs
 * @param master the Spark master URL for the Spark demo, or {@code null} for spark-submit's or {@code local[*]}
 * @param help print usage and exit
 */
record DemoOptions(URI endpoint, String bucket, String prefix, String region, String accessKey, String secretKey,
    int images, int epochs, int batchSize, long seed, boolean skipUpload, double minAccuracy, int ranks, String master,
    boolean help) {

  /** The flags as picocli reads them; {@link #parse} turns them into the record. */
  @Command(name = "demo", description = "Train a CNN straight from S3 with Sluice.", sortOptions = false)
  static final class Flags {
    @Option(names = "--endpoint", paramLabel = "URI",
        description = "S3 endpoint to use instead of the embedded server (e.g. http://127.0.0.1:9000)")
    URI endpoint;
    @Option(names = "--bucket", paramLabel = "NAME", description = "bucket for the dataset (default sluice-demo)")
    String bucket = "sluice-demo";
    @Option(names = "--prefix", paramLabel = "P/", description = "key prefix in the bucket (default shapes/)")
    String prefix = "shapes/";
    @Option(names = "--region", paramLabel = "R", description = "signing region (default us-east-1)")
    String region = "us-east-1";
    @Option(names = "--access-key", paramLabel = "K",
        description = "access key; with --secret-key. Default: the AWS default credentials chain")
    String accessKey;
    @Option(names = "--secret-key", paramLabel = "S", description = "secret key")
    String secretKey;
    @Option(names = "--images", paramLabel = "N", description = "images to generate, at least 100 (default 4000)")
    int images = 4000;
    @Option(names = "--epochs", paramLabel = "N", description = "epochs to train (default 4)")
    int epochs = 4;
    @Option(names = "--batch", paramLabel = "N", description = "batch size (default 32)")
    int batch = 32;
    @Option(names = "--seed", paramLabel = "N", description = "seed for data, shuffle and model (default 42)")
    long seed = 42;
    @Option(names = "--skip-upload", description = "use a dataset uploaded by an earlier run")
    boolean skipUpload;
    @Option(names = "--min-accuracy", paramLabel = "X",
        description = "exit 1 if final validation accuracy is below X (default 0.9)")
    double minAccuracy = 0.9;
    @Option(names = "--ranks", paramLabel = "N", description = "ranks for MultiRankDemo (default 4)")
    int ranks = 4;
    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master for SparkDemo, e.g. spark://host:7077 (default: spark-submit's, else local[*])")
    String master;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;
  }

  /** A demo that trains and returns its final validation accuracy. */
  @FunctionalInterface
  interface Training {
    double run(DemoOptions options) throws Exception;
  }

  /**
   * A demo's {@code main}: parses the flags (usage and exit 2 on a bad one, usage on {@code --help}), trains, and
   * exits 1 if the final validation accuracy is below {@code --min-accuracy}, else 0.
   */
  static void launch(String[] args, Training training) throws Exception {
    DemoOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(usage());
      return;
    }
    double accuracy = training.run(options);
    if (accuracy < options.minAccuracy()) {
      System.err.printf(Locale.ROOT, "validation accuracy %.3f is below the required %.3f%n", accuracy,
          options.minAccuracy());
      System.exit(1);
    }
    System.exit(0);
  }

  static String usage() {
    return new CommandLine(new Flags()).getUsageMessage();
  }

  /**
   * Reads the flags (picocli).
   *
   * @throws IllegalArgumentException naming the flag that is unknown, lacks its value or has a bad one
   */
  static DemoOptions parse(String... args) {
    Flags f = new Flags();
    try {
      new CommandLine(f).parseArgs(args);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    positive("--images", f.images);
    positive("--epochs", f.epochs);
    positive("--batch", f.batch);
    positive("--ranks", f.ranks);
    if ((f.accessKey == null) != (f.secretKey == null)) {
      throw new IllegalArgumentException("--access-key and --secret-key go together");
    }
    if (f.images < 100) {
      throw new IllegalArgumentException("--images must be at least 100, was " + f.images);
    }
    String prefix = f.prefix.endsWith("/") ? f.prefix : f.prefix + "/";
    return new DemoOptions(f.endpoint, f.bucket, prefix, f.region, f.accessKey, f.secretKey, f.images, f.epochs,
        f.batch, f.seed, f.skipUpload, f.minAccuracy, f.ranks, f.master, f.help);
  }

  private static void positive(String flag, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException(flag + " must be positive, was " + n);
    }
  }

  @Override
  public String toString() {
    return "DemoOptions{endpoint=" + endpoint + ", bucket=" + bucket + ", prefix=" + prefix + ", region=" + region
        + ", accessKey=" + (accessKey == null ? "default chain" : "(given)") + ", images=" + images + ", epochs="
        + epochs + ", batch=" + batchSize + ", seed=" + seed + ", ranks=" + ranks + ", master=" + master + "}";
  }
}
