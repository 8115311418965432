/**
 * Manifests: which objects a model trains on, with their labels, in compact memory.
 *
 * <p>The front door is {@link io.sluice.loader.manifest.Manifests}: {@code read(pathOrUri, store)} reads any
 * {@link io.sluice.loader.manifest.ManifestFormat} (SageMaker ManifestFile, AugmentedManifestFile and Ground Truth
 * output, CSV, key lists) recognised from its content, {@code reader()} configures every detail, and
 * {@code leaks(...)} checks channels against each other. A {@link io.sluice.loader.manifest.Manifest} is one
 * channel and knows which; a {@link io.sluice.loader.manifest.LabelMap} is the label encoding its channels share.
 * Every reading error is a {@link io.sluice.loader.manifest.ManifestException} naming the file, line and column.
 * Building and writing manifests (split, class counts, writers) is in the {@code loader-manifest-tools} module.
 */
package io.sluice.loader.manifest;
