package io.sluice.examples;

import io.sluice.loader.DataLoader;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.ObjectStore;
import io.sluice.s3.S3ObjectStore;
import io.sluice.transforms.Images;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The DL4J usage example shown in README.md; {@code ReadmeTest} checks the two stay identical. */
final class ReadmeExample {
  private ReadmeExample() {}

  static void train(MultiLayerNetwork model) {
    // README:begin
    ObjectStore store = S3ObjectStore.create(); // default credentials and region chain
    Manifest train = Manifests.read("manifests/train.jsonl", store); // as `sluice manifest build` writes it
    try (DataLoader loader = DataLoader.builder()
        .manifest(train)
        .store(store)
        .transform(Images.decode(3).andThen(Images.resize(64, 64)).andThen(Images.imageToTensor(1 / 255f)))
        .batchSize(64)
        .seed(42)
        .build()) {
      model.fit(loader.asDataSetIterator(), 5); // 5 epochs, each shuffled afresh
    }
    // README:end
  }
}
