package io.sluice.cli;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.store.ObjectRef;
import io.sluice.manifest.tools.ChannelSplit;
import io.sluice.manifest.tools.ManifestWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice manifest build}: channel manifests, a label map and a summary from an S3 listing. */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Make train / validation / test manifests, a label map and a summary from an S3 listing.", "",
        "Lists every object under the root (all pages, fanned out by common prefix), labels each by its class folder (the first path segment "
            + "under the root), splits each class into train / validation / test by a hash of the key and the "
            + "seed (adding objects never moves an existing key), checks the minimum per class and leakage, and "
            + "writes one manifest per channel, labels.tsv and summary.json. Entries record each object's size "
            + "and ETag, so reads are pinned to them."},
    footer = {"", "Credentials come from the AWS default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the "
        + "aws.accessKeyId/aws.secretAccessKey system properties, ~/.aws profiles, or an instance role."})
final class BuildCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--root", required = true, paramLabel = "URI",
      description = "the s3:// prefix to list, ending with '/'")
  String root;

  @Option(names = "--suffix", split = ",", paramLabel = "S",
      description = "keep only keys ending with one of these, ignoring case, e.g. .jpg,.png")
  String[] suffixes;

  @Option(names = "--split", paramLabel = "T,V,E",
      description = "train, validation and test ratios (default 0.8,0.1,0.1; 0 leaves a channel out)")
  String split;

  @Option(names = "--seed", paramLabel = "N", description = "the seed of the split hash (default 0)")
  long seed;

  @Option(names = "--min-per-class", paramLabel = "N", defaultValue = "1",
      description = "objects every class needs in every channel (default 1; 0 turns the check off)")
  int minPerClass;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "manifests", description = "where to write "
      + "(default manifests)")
  Path dir;

  @Option(names = "--format", paramLabel = "F", defaultValue = "augmented",
      converter = ManifestOptions.FormatConverter.class,
      description = "augmented (SageMaker AugmentedManifestFile, the default), csv, manifest (SageMaker "
          + "ManifestFile) or keys; manifest and keys hold no size or ETag, so reads of them are not pinned")
  ManifestFormat format;

  @Option(names = "--labels", paramLabel = "FILE", description = "keep this label map (e.g. an earlier build's "
      + "labels.tsv) instead of sorting the classes found")
  Path labels;

  @Option(names = "--versions", description = "list with ListObjectVersions and record version ids (versioned "
      + "buckets); fanned out like ListObjectsV2")
  boolean versions;

  @Option(names = "--list-concurrency", paramLabel = "N", defaultValue = "16",
      description = "list this many prefixes at once, fanning the listing out by common prefix (default 16; 1 "
          + "lists page after page); the manifests are the same either way")
  int listConcurrency;

  @Option(names = "--list-depth", paramLabel = "D", defaultValue = "3",
      description = "discover folders this many levels below the root before listing them fully; discovery stops "
          + "earlier at 4 folders per request in flight (default 3; 0 lists the root page after page)")
  int listDepth;

  @Option(names = "--no-leakage-check", description = "do not fail when the same content (ETag and size) is in "
      + "two channels")
  boolean noLeakageCheck;

  @Mixin
  S3Options s3Options;

  @Override
  public Integer call() throws IOException {
    PrintStream out = Main.out(spec);
    if (!root.regionMatches(true, 0, "s3://", 0, 5)) {
      throw new ParameterException(spec.commandLine(), "option --root must be an s3:// prefix, was '" + root + "'");
    }
    if (listConcurrency < 1 || listConcurrency > 1000) {
      throw new ParameterException(spec.commandLine(), "option --list-concurrency must be between 1 and 1000, was "
          + listConcurrency);
    }
    if (listDepth < 0 || listDepth > 100) {
      throw new ParameterException(spec.commandLine(), "option --list-depth must be between 0 and 100, was "
          + listDepth);
    }
    if (minPerClass < 0) {
      throw new ParameterException(spec.commandLine(), "option --min-per-class must be 0 or more, was "
          + minPerClass);
    }
    ChannelSplit.Builder plan = ChannelSplit.builder();
    try {
      plan.root(root).seed(seed).minPerClass(minPerClass).leakageCheck(!noLeakageCheck);
      if (suffixes != null) {
        plan.suffixes(suffixes);
      }
      if (split != null) {
        double[] r = ratios(split);
        plan.ratios(r[0], r[1], r[2]);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (labels != null) {
      plan.labels(LabelMap.read(labels));
    }
    try (S3Connection s3 = s3Options.connect()) {
      ChannelSplit channels = plan.build();
      List<ObjectRef> listing;
      try (ProgressBar bar = Progress.start("listing", -1, " objects", Main.err(spec))) {
        listing = s3.list(root, versions, listConcurrency, listDepth, bar::stepBy);
      }
      if (versions) {
        out.printf(Locale.ROOT, "Listed %s: %d objects (latest versions)%n", root, listing.size());
      }
      ChannelSplit.Result result = channels.split(listing);
      List<ChannelSplit.ChannelFile> files = result.write(dir, ManifestWriter.builder(format).build());
      out.printf(Locale.ROOT, "Split %s into %d classes%s; wrote %s (%s):%n", root, result.labels().size(),
          result.skipped() > 0 ? ", " + result.skipped() + " objects left out by suffix" : "", dir,
          format.describe());
      for (ChannelSplit.ChannelFile f : files) {
        out.printf(Locale.ROOT, "  %-10s %9d entries  sha256 %s  %s%n", f.channel(), f.entries(), f.sha256(),
            f.file());
      }
      out.printf(Locale.ROOT, "  %-10s %9d classes  %s%n", "labels", result.labels().size(),
          dir.resolve("labels.tsv"));
      out.printf(Locale.ROOT, "  %-10s %s%n%n", "summary", dir.resolve("summary.json"));
      out.print(result.counts().table());
      if (!format.recordsLabels()) {
        out.printf(Locale.ROOT, "%nNote: a %s records no size or ETag, so reads of these manifests are not pinned; "
            + "use --format augmented or csv to keep the record.%n", format.describe());
      }
      return 0;
    }
  }

  private double[] ratios(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 3) {
      throw new ParameterException(spec.commandLine(), "option --split must be three ratios train,validation,test "
          + "like 0.8,0.1,0.1, was '" + text + "'");
    }
    double[] r = new double[3];
    for (int i = 0; i < 3; i++) {
      try {
        r[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(), "option --split: '" + parts[i] + "' is not a number (in '"
            + text + "')");
      }
    }
    return r;
  }
}
