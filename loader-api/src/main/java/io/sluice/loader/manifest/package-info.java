/**
 * Manifests: which objects a model trains on, with their labels, in compact memory.
 *
 * <p>The front door is {@link io.sluice.loader.manifest.Manifests}: {@code reader()} and
 * {@code writer(format)} for every {@link io.sluice.loader.manifest.ManifestFormat} (SageMaker ManifestFile,
 * AugmentedManifestFile, CSV, key lists), {@code split()} to make train / validation / test manifests from a
 * listing ({@link io.sluice.loader.manifest.ChannelSplit}), and {@code leaks(...)} to check channels against
 * each other. A {@link io.sluice.loader.manifest.Manifest} is one channel; a
 * {@link io.sluice.loader.manifest.LabelMap} is the label encoding its channels share. Every reading error
 * is a {@link io.sluice.loader.manifest.ManifestException} naming the file, line and column.
 */
package io.sluice.loader.manifest;
