package io.sluice.examples;

import java.net.URI;

/**
 * The demo's command-line flags.
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
 * @param help print usage and exit
 */
record DemoOptions(URI endpoint, String bucket, String prefix, String region, String accessKey, String secretKey,
    int images, int epochs, int batchSize, long seed, boolean skipUpload, double minAccuracy, int ranks, boolean help) {

  static String usage() {
    return """
        Train a CNN straight from S3 with Sluice.

        Options:
          --endpoint URI      S3 endpoint to use instead of the embedded server (e.g. http://127.0.0.1:9000)
          --bucket NAME       bucket for the dataset (default sluice-demo)
          --prefix P/         key prefix in the bucket (default shapes/)
          --region R          signing region (default us-east-1)
          --access-key K      access key; with --secret-key. Default: the AWS default credentials chain
          --secret-key S      secret key
          --images N          images to generate, at least 100 (default 4000)
          --epochs N          epochs to train (default 4)
          --batch N           batch size (default 32)
          --seed N            seed for data, shuffle and model (default 42)
          --skip-upload       use a dataset uploaded by an earlier run
          --min-accuracy X    exit 1 if final validation accuracy is below X (default 0.9)
          --ranks N           ranks for MultiRankDemo (default 4)
          --help              this text
        """;
  }

  static DemoOptions parse(String... args) {
    URI endpoint = null;
    String bucket = "sluice-demo";
    String prefix = "shapes/";
    String region = "us-east-1";
    String accessKey = null;
    String secretKey = null;
    int images = 4000;
    int epochs = 4;
    int batch = 32;
    long seed = 42;
    boolean skipUpload = false;
    double minAccuracy = 0.9;
    boolean help = false;
    int ranks = 4;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--help", "-h" -> help = true;
        case "--skip-upload" -> skipUpload = true;
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("unknown flag or missing value: " + flag);
          }
          String value = args[++i];
          switch (flag) {
            case "--endpoint" -> endpoint = URI.create(value);
            case "--bucket" -> bucket = value;
            case "--prefix" -> prefix = value.endsWith("/") ? value : value + "/";
            case "--region" -> region = value;
            case "--access-key" -> accessKey = value;
            case "--secret-key" -> secretKey = value;
            case "--images" -> images = positive(flag, value);
            case "--epochs" -> epochs = positive(flag, value);
            case "--batch" -> batch = positive(flag, value);
            case "--seed" -> seed = Long.parseLong(value);
            case "--min-accuracy" -> minAccuracy = Double.parseDouble(value);
            case "--ranks" -> ranks = positive(flag, value);
            default -> throw new IllegalArgumentException("unknown flag: " + flag);
          }
        }
      }
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("--access-key and --secret-key go together");
    }
    if (images < 100) {
      throw new IllegalArgumentException("--images must be at least 100, was " + images);
    }
    return new DemoOptions(endpoint, bucket, prefix, region, accessKey, secretKey, images, epochs, batch, seed,
        skipUpload, minAccuracy, ranks, help);
  }

  private static int positive(String flag, String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number, was '" + value + "'");
    }
    if (n <= 0) {
      throw new IllegalArgumentException(flag + " must be positive, was " + n);
    }
    return n;
  }

  @Override
  public String toString() {
    return "DemoOptions{endpoint=" + endpoint + ", bucket=" + bucket + ", prefix=" + prefix + ", region=" + region
        + ", accessKey=" + (accessKey == null ? "default chain" : "(given)") + ", images=" + images + ", epochs="
        + epochs + ", batch=" + batchSize + ", seed=" + seed + ", ranks=" + ranks + "}";
  }
}
