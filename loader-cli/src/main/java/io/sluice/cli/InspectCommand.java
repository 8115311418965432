package io.sluice.cli;

import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.Image;
import io.sluice.transforms.Images;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice inspect}: a contact sheet of samples after the chain, to look at augmentations before training. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a manifest's first N samples (or chosen keys) through a chain and write a PNG contact "
        + "sheet, each sample captioned with its key and label.", "",
        "Each sample gets the random draws the loader would give it in that epoch with that seed (they depend on "
            + "the seed, the epoch and the sample's index in the manifest only), so the sheet shows what training "
            + "will see."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the sheet was written", "1:a sample could not be read or transformed (the sheet is "
        + "still written, with the sample crossed out)", "2:bad command line"})
final class InspectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SampleOptions sample;

  @Option(names = "--first", paramLabel = "N", defaultValue = "16",
      description = "how many samples, from the start of the manifest (default 16)")
  int first;

  @Option(names = "--key", paramLabel = "KEY", description = "a sample to show, by key under the prefix or by "
      + "URI; repeat for several (instead of --first)")
  List<String> keys;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "contact-sheet.png",
      description = "the PNG to write (default contact-sheet.png)")
  Path out;

  @Option(names = "--columns", paramLabel = "N", description = "cells per row (default: a square-ish grid)")
  Integer columns;

  @Option(names = "--cell", paramLabel = "PX", defaultValue = "160",
      description = "the largest side of each image in the sheet, in pixels (default 160)")
  int cell;

  @Override
  public Integer call() throws IOException {
    sample.check(spec);
    if (first < 1) {
      throw new ParameterException(spec.commandLine(), "option --first must be 1 or more, was " + first);
    }
    if (cell < 16 || cell > 4096) {
      throw new ParameterException(spec.commandLine(), "option --cell must be 16 to 4096 pixels, was " + cell);
    }
    if (columns != null && columns < 1) {
      throw new ParameterException(spec.commandLine(), "option --columns must be 1 or more, was " + columns);
    }
    PrintStream stdout = Main.out(spec);
    PrintStream err = Main.err(spec);
    try (S3Connection s3 = sample.s3Options.connect()) {
      Manifest manifest = sample.read(s3);
      List<Integer> indices = indices(manifest);
      ObjectStore store = s3.storeFor(manifest);
      Transform<StoredObject, Image> chain = Images.decode(sample.channels).andThen(sample.chain.steps());
      List<CompletableFuture<StoredObject>> fetches = new ArrayList<>();
      for (int i : indices) {
        fetches.add(store.get(manifest.ref(i)));
      }
      int n = indices.size();
      int cols = columns != null ? columns : (int) Math.ceil(Math.sqrt(n));
      ContactSheet sheet = new ContactSheet(cell, cols);
      int failed = 0;
      for (int j = 0; j < n; j++) {
        int i = indices.get(j);
        String uri = manifest.uri(i);
        String label = manifest.label(i) >= 0 ? manifest.labels().name(manifest.label(i)) + " (" + manifest.label(i)
            + ")" : "unlabelled";
        try {
          StoredObject object = fetches.get(j).join();
          SampleContext context = SampleContext.forEntry(uri, i, sample.epoch, sample.seed);
          Image image = chain.apply(object, context);
          sheet.add(new ContactSheet.Cell(image, manifest.key(i), label + "  " + image.width() + "x"
              + image.height()));
        } catch (RuntimeException e) {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          err.println("sluice: " + uri + ": " + cause.getMessage());
          sheet.add(new ContactSheet.Cell(null, manifest.key(i), "failed: " + cause.getClass().getSimpleName()));
          failed++;
        }
      }
      sheet.write(out);
      int[] size = sheet.size();
      stdout.printf(Locale.ROOT, "Wrote %s (%dx%d): %d samples of %s, epoch %d, seed %d, chain decode(%d), %s%n",
          out, size[0], size[1], n, sample.location, sample.epoch, sample.seed, sample.channels, sample.chain);
      if (failed > 0) {
        stdout.printf(Locale.ROOT, "%d of %d samples failed (crossed out in the sheet)%n", failed, n);
      }
      return failed == 0 ? 0 : Main.FAILED;
    }
  }

  private List<Integer> indices(Manifest manifest) {
    List<Integer> out = new ArrayList<>();
    if (keys == null || keys.isEmpty()) {
      for (int i = 0; i < Math.min(first, manifest.size()); i++) {
        out.add(i);
      }
      if (out.isEmpty()) {
        throw new UsageException(sample.location + " has no entries");
      }
      return out;
    }
    Map<String, Integer> byKey = new HashMap<>();
    for (int i = 0; i < manifest.size(); i++) {
      byKey.put(manifest.key(i), i);
      byKey.put(manifest.uri(i), i);
    }
    for (String key : keys) {
      Integer i = byKey.get(key);
      if (i == null) {
        throw new ParameterException(spec.commandLine(), "option --key: '" + key + "' is not in " + sample.location
            + " (give a key under " + manifest.prefix() + " or a full URI)");
      }
      out.add(i);
    }
    return out;
  }
}
