package io.sluice.cli;

import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Leak;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.ManifestException;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.util.StringJoiner;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** {@code sluice manifest validate}: checks manifests, alone and against each other. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Check manifests: every line, duplicates, labels, leakage between channels, the objects.", "",
        "Reads each manifest in any format (streaming) and reports every problem: malformed lines (with the file, "
            + "line, column, the offending text and what was expected), duplicate keys, unknown channels, classes "
            + "missing from --labels and labels out of its range. Across all the manifests given, it reports "
            + "objects in two channels (the same URI, or the same ETag and size) and channels labelled with "
            + "different encodings. With --check-objects it also checks that every object exists and still has "
            + "the size and ETag the manifest records."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:valid", "1:problems found", "2:bad command line"})
final class ValidateCommand implements Callable<Integer> {
  private static final int SHOWN = 20;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "MANIFEST", description = "a manifest file or s3://bucket/key")
  List<String> locations;

  @Option(names = "--check-objects", description = "list the objects' prefixes and check each entry against the "
      + "listing (and, for entries pinned to a version id, that version)")
  boolean checkObjects;

  @Mixin
  ManifestOptions manifestOptions;

  @Mixin
  S3Options s3Options;

  @Override
  public Integer call() {
    PrintStream out = Main.out(spec);
    PrintStream err = Main.err(spec);
    int problems = 0;
    List<ManifestInput> inputs = new ArrayList<>();
    try (S3Connection s3 = s3Options.connect()) {
      for (String location : locations) {
        try {
          ManifestInput input = ManifestInput.read(location, manifestOptions, s3);
          inputs.add(input);
          StringJoiner channels = new StringJoiner(", ");
          input.channels().forEach((name, m) -> channels.add(name + " " + m.size()));
          out.printf(Locale.ROOT, "%s: ok: %s, %s entries, %d classes%n", location, input.format().describe(),
              channels, input.channels().values().iterator().next().labels().size());
        } catch (ManifestException e) {
          err.println(e.getMessage());
          problems++;
        } catch (SluiceException | IOException e) {
          err.println(location + ": cannot read: " + e.getMessage());
          problems++;
        }
      }
      Map<String, Manifest> all = combined(inputs);
      if (manifestOptions.labels == null) {
        problems += checkEncodings(inputs, err);
      }
      List<Leak> leaks = Manifests.leaks(all);
      for (Leak leak : leaks.subList(0, Math.min(SHOWN, leaks.size()))) {
        err.println("leak: " + leak);
      }
      if (leaks.size() > SHOWN) {
        err.println("leak: ... " + (leaks.size() - SHOWN) + " more");
      }
      problems += leaks.size();
      if (checkObjects) {
        problems += checkObjects(all, s3, out, err);
      }
    }
    out.println(problems == 0 ? "valid" : problems + " problem(s)");
    return problems == 0 ? 0 : 1;
  }

  /** Every channel of every input, named by channel, or by file and channel where names repeat. */
  private static Map<String, Manifest> combined(List<ManifestInput> inputs) {
    Map<String, Integer> uses = new HashMap<>();
    for (ManifestInput in : inputs) {
      for (String channel : in.channels().keySet()) {
        uses.merge(channel, 1, Integer::sum);
      }
    }
    Map<String, Manifest> all = new LinkedHashMap<>();
    for (ManifestInput in : inputs) {
      in.channels().forEach((channel, m) -> all.put(uses.get(channel) > 1 ? in.location() + "#" + channel : channel, m));
    }
    return all;
  }

  private static int checkEncodings(List<ManifestInput> inputs, PrintStream err) {
    LabelMap first = null;
    String firstName = null;
    for (ManifestInput in : inputs) {
      for (Manifest m : in.channels().values()) {
        if (first == null) {
          first = m.labels();
          firstName = in.location();
        } else if (!first.equals(m.labels())) {
          err.println(in.location() + ": labelled " + m.labels().names() + ", but " + firstName + " "
              + first.names() + ": label indices differ between channels; pass --labels labels.tsv");
          return 1;
        }
      }
    }
    return 0;
  }

  /** Lists each manifest's prefix once and checks every entry against it; returns the number of problems. */
  private static int checkObjects(Map<String, Manifest> channels, S3Connection s3, PrintStream out, PrintStream err) {
    int missing = 0;
    int changed = 0;
    long checked = 0;
    Map<String, Map<String, ObjectInfo>> listings = new HashMap<>();
    try (ObjectStore local = ObjectStore.localFiles(Path.of(""))) {
      for (Map.Entry<String, Manifest> channel : channels.entrySet()) {
        Manifest m = channel.getValue();
        boolean onS3 = m.size() > 0 && m.uri(0).regionMatches(true, 0, "s3://", 0, 5);
        ObjectStore store = onS3 ? s3.store() : local;
        Map<String, ObjectInfo> listed = listings.computeIfAbsent(m.prefix(), p -> list(store, p));
        for (int i = 0; i < m.size(); i++) {
          checked++;
          String uri = m.uri(i);
          ObjectInfo info = listed.get(uri);
          String problem = info == null ? "missing" : difference(m, i, info.size(), info.etag());
          if (problem != null && m.versionId(i) != null && onS3) {
            // The listing shows the latest version; the entry is pinned to an older one, which may be intact.
            HeadObjectResponse head = s3.head(uri, m.versionId(i));
            problem = head == null ? "version " + m.versionId(i) + " is missing"
                : difference(m, i, head.contentLength() == null ? -1 : head.contentLength(),
                    S3Connection.unquote(head.eTag()));
          }
          if (problem == null) {
            continue;
          }
          if (problem.startsWith("missing") || problem.contains("is missing")) {
            missing++;
          } else {
            changed++;
          }
          if (missing + changed <= SHOWN) {
            err.println(channel.getKey() + ": " + uri + ": " + problem);
          }
        }
      }
    }
    if (missing + changed > SHOWN) {
      err.println("... " + (missing + changed - SHOWN) + " more");
    }
    out.printf(Locale.ROOT, "checked %d objects: %d missing, %d changed%n", checked, missing, changed);
    return missing + changed;
  }

  private static Map<String, ObjectInfo> list(ObjectStore store, String prefix) {
    Map<String, ObjectInfo> byUri = new HashMap<>();
    try {
      for (ObjectInfo info : store.list(prefix).join()) {
        byUri.put(info.uri(), info);
      }
    } catch (CompletionException e) {
      throw e.getCause() instanceof SluiceException s ? s
          : new SluiceException("cannot list " + prefix + ": " + e.getCause(), prefix, false, e.getCause());
    }
    return byUri;
  }

  /** What differs between entry {@code i}'s record and the object found, or {@code null}. */
  private static String difference(Manifest m, int i, long size, String etag) {
    String expectedEtag = m.etag(i);
    if (expectedEtag != null && etag != null && !expectedEtag.equals(etag)) {
      return "changed: expected ETag \"" + expectedEtag + "\", found \"" + etag + "\"";
    }
    if (m.objectSize(i) >= 0 && size >= 0 && m.objectSize(i) != size) {
      return "changed: expected " + m.objectSize(i) + " bytes, found " + size;
    }
    return null;
  }
}
