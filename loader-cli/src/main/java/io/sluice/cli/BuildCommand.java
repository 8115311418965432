package io.sluice.cli;

import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.store.ObjectRef;
import io.sluice.manifest.tools.ChannelSplit;
import io.sluice.manifest.tools.ManifestWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code sluice manifest build}: channel manifests, a label map and a summary from an S3 listing. */
final class BuildCommand {
  static final String HELP = """
      Usage: sluice manifest build --root s3://bucket/prefix/ [options]

      Lists every object under the root (ListObjectsV2, all pages), labels each by its class folder (the
      first path segment under the root), splits each class into train / validation / test by a hash of
      the key and the seed (adding objects never moves an existing key), checks the minimum per class and
      leakage, and writes one manifest per channel, labels.tsv and summary.json. Entries record each
      object's size and ETag, so reads are pinned to them.

      Options:
        --root URI          the s3:// prefix to list, ending with '/' (required)
        --suffix S[,S...]   keep only keys ending with one of these, ignoring case, e.g. .jpg,.png
        --split T,V,E       train, validation and test ratios (default 0.8,0.1,0.1; 0 leaves a channel out)
        --seed N            the seed of the split hash (default 0)
        --min-per-class N   objects every class needs in every channel (default 1; 0 turns the check off)
        --out DIR           where to write (default manifests)
        --format F          augmented (SageMaker AugmentedManifestFile, the default), csv, manifest
                            (SageMaker ManifestFile) or keys; manifest and keys hold no size or ETag, so
                            reads of them are not pinned
        --labels FILE       keep this label map (e.g. an earlier build's labels.tsv) instead of sorting
                            the classes found
        --versions          list with ListObjectVersions and record version ids (versioned buckets)
        --no-leakage-check  do not fail when the same content (ETag and size) is in two channels
      """ + S3Connection.HELP;

  private static final Set<String> VALUED = union(Set.of("root", "suffix", "split", "seed", "min-per-class", "out",
      "format", "labels"), S3Connection.VALUED);
  private static final Set<String> FLAGS = union(Set.of("versions", "no-leakage-check", "help"), S3Connection.FLAGS);

  private BuildCommand() {}

  static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    Arguments a = Arguments.parse(args, VALUED, FLAGS);
    if (a.flag("help")) {
      out.print(HELP);
      return 0;
    }
    if (!a.operands().isEmpty()) {
      throw new UsageException("unexpected argument '" + a.operands().get(0) + "': build takes options only");
    }
    String root = a.value("root");
    if (root == null) {
      throw new UsageException("option --root is required, e.g. --root s3://bucket/images/");
    }
    if (!root.regionMatches(true, 0, "s3://", 0, 5)) {
      throw new UsageException("option --root must be an s3:// prefix, was '" + root + "'");
    }
    ManifestFormat format;
    try {
      format = ManifestFormat.ofId(a.value("format", "augmented"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ChannelSplit.Builder plan = ChannelSplit.builder();
    try {
      plan.root(root).seed(a.longValue("seed", 0)).minPerClass(a.intValue("min-per-class", 1, 0))
          .leakageCheck(!a.flag("no-leakage-check"));
      if (a.value("suffix") != null) {
        plan.suffixes(a.value("suffix").split(",", -1));
      }
      if (a.value("split") != null) {
        double[] r = ratios(a.value("split"));
        plan.ratios(r[0], r[1], r[2]);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (a.value("labels") != null) {
      plan.labels(LabelMap.read(Path.of(a.value("labels"))));
    }
    Path dir = Path.of(a.value("out", "manifests"));
    try (S3Connection s3 = new S3Connection(a)) {
      ChannelSplit split = plan.build();
      ChannelSplit.Result result;
      if (a.flag("versions")) {
        List<ObjectRef> listing = s3.listLatestVersions(root);
        out.printf(Locale.ROOT, "Listed %s: %d objects (latest versions)%n", root, listing.size());
        result = split.split(listing);
      } else {
        result = split.split(s3.store());
      }
      List<ChannelSplit.ChannelFile> files = result.write(dir, ManifestWriter.builder(format).build());
      out.printf(Locale.ROOT, "Split %s into %d classes%s; wrote %s (%s):%n", root, result.labels().size(),
          result.skipped() > 0 ? ", " + result.skipped() + " objects left out by suffix" : "", dir, format.describe());
      for (ChannelSplit.ChannelFile f : files) {
        out.printf(Locale.ROOT, "  %-10s %9d entries  sha256 %s  %s%n", f.channel(), f.entries(), f.sha256(),
            f.file());
      }
      out.printf(Locale.ROOT, "  %-10s %9d classes  %s%n", "labels", result.labels().size(), dir.resolve("labels.tsv"));
      out.printf(Locale.ROOT, "  %-10s %s%n%n", "summary", dir.resolve("summary.json"));
      out.print(result.counts().table());
      if (!format.recordsLabels()) {
        out.printf(Locale.ROOT, "%nNote: a %s records no size or ETag, so reads of these manifests are not pinned; "
            + "use --format augmented or csv to keep the record.%n", format.describe());
      }
      return 0;
    }
  }

  private static double[] ratios(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 3) {
      throw new UsageException("option --split must be three ratios train,validation,test like 0.8,0.1,0.1, was '"
          + text + "'");
    }
    double[] r = new double[3];
    for (int i = 0; i < 3; i++) {
      try {
        r[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new UsageException("option --split: '" + parts[i] + "' is not a number (in '" + text + "')");
      }
    }
    return r;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }
}
