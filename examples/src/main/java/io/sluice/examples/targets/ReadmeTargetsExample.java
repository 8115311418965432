package io.sluice.examples.targets;

import io.sluice.loader.DataLoader;
import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectStore;
import io.sluice.transforms.Detection;
import io.sluice.transforms.Images;
import java.io.IOException;
import java.nio.file.Path;

/** The README's targets example, compiled; a test checks the README shows exactly these lines, and runs them. */
final class ReadmeTargetsExample {
  private ReadmeTargetsExample() {}

  /** A loader of Ground Truth bounding-box output in {@code file}, boxes in Yolo2OutputLayer's layout. */
  static DataLoader loader(Path file, ObjectStore store, LabelMap classes) throws IOException {
    // README:begin
    Manifest train = Manifests.reader().unlabelled().build().readChannels(file).get("train"); // Ground Truth output
    EntryAttributes attributes = EntryAttributes.read(file, train); // the rest of each JSON line
    DataLoader loader = DataLoader.builder().manifest(train).store(store).attributes(attributes)
        .transform(Images.decode(3).andThen(Images.randomResizedCrop(224)).andThen(Images.horizontalFlip(0.5))
            .andThen(Images.imageToTensor(1 / 255f)))
        .targets(Detection.yolo("boxes", classes, 7, 7, 0.5))
        .batchSize(32).seed(42).build();
    // README:end
    return loader;
  }
}
