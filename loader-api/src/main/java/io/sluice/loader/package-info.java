/**
 * Sluice: train Deeplearning4j models straight from object storage.
 *
 * <p>The front door is {@link io.sluice.loader.DataLoader#builder()}. A loader reads the entries of a
 * {@link io.sluice.loader.manifest.Manifest}, fetches their bytes from an
 * {@link io.sluice.loader.store.ObjectStore}, runs a {@link io.sluice.loader.Transform} chain on a worker
 * pool and hands out batches in a deterministic order, as plain {@link io.sluice.loader.Batch}es or through
 * DL4J's {@code DataSetIterator}.
 *
 * <p>Packages named {@code internal} are not API and may change without notice.
 */
package io.sluice.loader;
