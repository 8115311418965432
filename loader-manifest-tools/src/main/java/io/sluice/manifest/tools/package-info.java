/**
 * Building and writing channel manifests: {@link io.sluice.manifest.tools.ChannelSplit} lists a prefix and
 * splits it into train / validation / test manifests (stratified, by a hash of each key), checks every class
 * has enough objects and that no object leaks between channels, and writes them with
 * {@link io.sluice.manifest.tools.ManifestWriter} (any {@link io.sluice.loader.manifest.ManifestFormat}),
 * {@code labels.tsv} and {@code summary.json}; {@link io.sluice.manifest.tools.ClassCounts} counts classes per
 * channel.
 *
 * <p>The loader does not need any of this at run time: reading manifests is in {@code loader-api}'s
 * {@link io.sluice.loader.manifest.Manifests}. The {@code sluice manifest build / validate / stats} command line
 * uses this module.
 */
package io.sluice.manifest.tools;
