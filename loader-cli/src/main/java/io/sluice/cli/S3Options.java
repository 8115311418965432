package io.sluice.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The options that say which S3 to talk to; credentials come from the AWS default chain. */
final class S3Options {
  @Option(names = "--endpoint", paramLabel = "URI",
      description = "an S3-compatible server instead of AWS, e.g. http://127.0.0.1:9000")
  URI endpoint;

  @Option(names = "--region", paramLabel = "R",
      description = "the region to sign for (default: the AWS chain; us-east-1 with --endpoint)")
  String region;

  @Option(names = "--path-style", description = "address buckets in the path (most S3-compatible servers need it)")
  boolean pathStyle;

  /** A connection made on first use; close it. */
  S3Connection connect() {
    return new S3Connection(endpoint, region, pathStyle);
  }
}
