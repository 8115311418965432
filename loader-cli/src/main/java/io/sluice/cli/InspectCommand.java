package io.sluice.cli;

import io.sluice.loader.Entry;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Transform;
import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.transforms.Detection;
import io.sluice.transforms.Image;
import io.sluice.transforms.Images;
import io.sluice.transforms.Segmentation;
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
        "With --boxes and --masks the sheet also shows an augmented manifest's SageMaker Ground Truth "
            + "annotations, moved with the image through the chain exactly as the loader moves training targets "
            + "(Detection and Segmentation targets).", "",
        "Each sample gets the random draws the loader would give it in that epoch with that seed (they depend on "
            + "the seed, the epoch and the sample's index in the manifest only), so the sheet shows what training "
            + "will see."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the sheet was written", "1:a sample could not be read or transformed, or its boxes or mask "
        + "are missing or malformed (the sheet is still written, with the sample crossed out)",
        "2:bad command line"})
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

  @Option(names = "--boxes", paramLabel = "ATTR", description = "draw the boxes of this Ground Truth "
      + "bounding-box attribute of an augmented manifest ({\"annotations\": [{\"class_id\", \"left\", \"top\", "
      + "\"width\", \"height\"}], \"image_size\": ...}), moved with the image, each named from ATTR-metadata's "
      + "class-map (or by its class_id without one). With --boxes or --masks the manifest is read --unlabelled "
      + "unless --label-attribute is given")
  String boxes;

  @Option(names = "--masks", paramLabel = "ATTR", description = "overlay the mask image this Ground Truth "
      + "semantic-segmentation attribute of an augmented manifest references (e.g. label-ref), moved with the "
      + "image, half-transparent in the colours of ATTR-metadata's internal-color-map; class 0 (background) and "
      + "padding are left clear, the classes shown are listed under the sheet")
  String masks;

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
    if ((boxes != null || masks != null) && sample.manifestOptions.labelAttribute == null) {
      sample.manifestOptions.unlabelled = true; // Ground Truth detection and segmentation output has no class
    }
    try (S3Connection s3 = sample.s3Options.connect()) {
      Manifest manifest = sample.read(s3);
      List<Integer> indices = indices(manifest);
      EntryAttributes attributes = boxes == null && masks == null ? null
          : sample.attributes(s3, manifest, boxes == null ? "--masks" : masks == null ? "--boxes" : "--boxes and --masks");
      ObjectStore store = s3.storeFor(manifest);
      Transform<StoredObject, Image> chain = Images.decode(sample.channels).andThen(sample.chain.steps());
      List<CompletableFuture<StoredObject>> fetches = new ArrayList<>();
      List<CompletableFuture<StoredObject>> maskFetches = new ArrayList<>();
      for (int i : indices) {
        fetches.add(store.get(manifest.ref(i)));
        maskFetches.add(masks == null ? null : fetchMask(store, new Entry(manifest, i, attributes)));
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
          Entry entry = attributes == null ? null : new Entry(manifest, i, attributes);
          List<Detection.LabelledBox> drawn = boxes == null ? List.of()
              : Detection.boxes(entry, boxes, image.geometry(), 0);
          Segmentation.ResampledMask mask = null;
          if (masks != null) {
            entry.companions(Map.of(Segmentation.maskUri(entry, masks), maskFetches.get(j).join()));
            mask = Segmentation.mask(entry, masks, image.geometry());
          }
          String size = image.width() + "x" + image.height();
          String caption = attributes == null ? label + "  " + size // an annotated entry's label is its overlays
              : (manifest.label(i) >= 0 ? label + "  " : "") + size
                  + (boxes == null ? "" : "  " + drawn.size() + (drawn.size() == 1 ? " box" : " boxes"));
          sheet.add(new ContactSheet.Cell(image, manifest.key(i), caption, drawn, mask));
        } catch (RuntimeException e) {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          String message = String.valueOf(cause.getMessage());
          err.println("sluice: " + (message.contains(uri) ? message : uri + ": " + message));
          sheet.add(new ContactSheet.Cell(null, manifest.key(i), "failed: " + cause.getClass().getSimpleName()));
          failed++;
        }
      }
      sheet.write(out);
      int[] size = sheet.size();
      stdout.printf(Locale.ROOT, "Wrote %s (%dx%d): %d samples of %s, epoch %d, seed %d, chain decode(%d), %s%s%s%n",
          out, size[0], size[1], n, sample.location, sample.epoch, sample.seed, sample.channels, sample.chain,
          boxes == null ? "" : "; boxes of " + boxes, masks == null ? "" : "; masks of " + masks);
      if (failed > 0) {
        stdout.printf(Locale.ROOT, "%d of %d samples failed (crossed out in the sheet)%n", failed, n);
      }
      return failed == 0 ? 0 : Main.FAILED;
    }
  }

  /**
   * Starts fetching the entry's mask, or a future failed with the entry's error if its attribute does not name
   * one; a mask that cannot be fetched fails naming the entry and the mask.
   */
  private CompletableFuture<StoredObject> fetchMask(ObjectStore store, Entry entry) {
    String uri;
    try {
      uri = Segmentation.maskUri(entry, masks);
    } catch (SluiceException e) {
      return CompletableFuture.failedFuture(e);
    }
    return store.get(ObjectRef.of(uri)).handle((object, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        throw entry.error("has a mask " + uri + " in '" + masks + "' that cannot be fetched: " + cause.getMessage());
      }
      return object;
    });
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
