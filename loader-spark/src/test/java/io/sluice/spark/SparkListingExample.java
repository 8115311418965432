package io.sluice.spark;

import io.sluice.loader.manifest.ManifestFormat;
import io.sluice.loader.store.ObjectRef;
import io.sluice.manifest.tools.ChannelSplit;
import io.sluice.manifest.tools.ManifestWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/** The "list over Spark" example shown in README.md; {@code SparkListingTest} runs it and checks the two agree. */
final class SparkListingExample {
  private SparkListingExample() {}

  static ChannelSplit.Result build(JavaSparkContext sc, S3StoreSettings settings, String root, Path out)
      throws IOException {
    // README:begin
    List<ObjectRef> listing = SparkListing.builder()
        .store(settings)   // S3StoreSettings: the driver and each task build their own client from it
        .concurrency(8)    // prefixes each task lists at once
        .build()
        .list(sc, root);   // sorted by URI: equal to the sequential listing
    ChannelSplit.Result split = ChannelSplit.builder().root(root).suffixes(".jpg").seed(42).build().split(listing);
    split.write(out, ManifestWriter.builder(ManifestFormat.AUGMENTED).build());
    // README:end
    return split;
  }
}
