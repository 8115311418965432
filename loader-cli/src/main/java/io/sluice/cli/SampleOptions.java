package io.sluice.cli;

import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestFormat;
import java.io.IOException;
import java.io.InputStream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** What {@code inspect} and {@code bench} read and how: a manifest, its store, the chain, the seed and epoch. */
final class SampleOptions {
  @Parameters(index = "0", paramLabel = "MANIFEST", description = "a manifest file or s3://bucket/key")
  String location;

  @Option(names = "--chain", paramLabel = "STEPS", converter = ChainSpec.Converter.class,
      defaultValue = ChainSpec.DEFAULT,
      description = "the image steps after decoding, comma-separated (default: ${DEFAULT-VALUE}); steps: "
          + ChainSpec.STEPS)
  ChainSpec chain;

  @Option(names = "--channels", paramLabel = "C", defaultValue = "3",
      description = "decode to 1 (gray) or 3 (RGB) channels (default 3)")
  int channels;

  @Option(names = "--seed", paramLabel = "N", description = "the seed of every random draw (default 0)")
  long seed;

  @Option(names = "--epoch", paramLabel = "E", description = "the epoch whose draws to make (default 0)")
  int epoch;

  @Mixin
  ManifestOptions manifestOptions;

  @Mixin
  S3Options s3Options;

  /** The channel {@link #read} picked. */
  String channel;

  /** The format {@link #read} read. */
  ManifestFormat format;

  /** Checks the numbers; call first. */
  void check(CommandSpec spec) {
    if (channels != 1 && channels != 3) {
      throw new ParameterException(spec.commandLine(), "option --channels must be 1 or 3, was " + channels);
    }
    if (epoch < 0) {
      throw new ParameterException(spec.commandLine(), "option --epoch must be 0 or more, was " + epoch);
    }
  }

  /**
   * Reads the manifest and picks its channel: the one {@code --channel} names, or the only one there is.
   *
   * @throws UsageException naming the channels when the choice is not clear
   */
  Manifest read(S3Connection s3) throws IOException {
    ManifestInput input = ManifestInput.read(location, manifestOptions, s3);
    format = input.format();
    String wanted = manifestOptions.channel;
    if (wanted != null && input.channels().containsKey(wanted)) {
      channel = wanted;
      return input.channels().get(wanted);
    }
    if (wanted == null && input.channels().size() == 1) {
      channel = input.channels().keySet().iterator().next();
      return input.channels().get(channel);
    }
    throw new UsageException(location + " holds the channels " + input.channels().keySet()
        + (wanted == null ? "; pick one with --channel" : ", not '" + wanted + "'"));
  }

  /**
   * The attributes of {@code manifest}'s entries (read by {@link #read}), from the manifest's lines, for the
   * options that draw from them.
   *
   * @param options the options that need them, for the usage error
   * @throws UsageException if the manifest is not an augmented manifest
   */
  EntryAttributes attributes(S3Connection s3, Manifest manifest, String options) throws IOException {
    if (format != ManifestFormat.AUGMENTED) {
      throw new UsageException(options + " read an augmented manifest's attributes (JSON Lines), but " + location
          + " is a " + format.describe());
    }
    String sourceAttribute = manifestOptions.sourceAttribute != null ? manifestOptions.sourceAttribute : "source-ref";
    try (InputStream in = ManifestInput.open(location, s3)) {
      return EntryAttributes.read(in, location, manifest, sourceAttribute);
    }
  }
}
