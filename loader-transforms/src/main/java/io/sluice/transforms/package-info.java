/**
 * Transform steps for the Sluice chain: images, tabular records, raw bytes and labels.
 *
 * <p>The front doors are {@link io.sluice.transforms.Images} (decode, crop, resize, flip, jitter, pad,
 * normalize, to tensor; DataVec {@code ImageTransform}s as steps are in the optional {@code loader-datavec}
 * module), {@link io.sluice.transforms.Records}
 * (CSV and JSON Lines through a DataVec {@code TransformProcess}; text and bytes for a decoder of your own)
 * and {@link io.sluice.transforms.Labels}. Their static factories return immutable, thread-safe
 * {@link io.sluice.loader.Transform}s between stored objects, 8-bit {@link io.sluice.transforms.Image}s,
 * {@link io.sluice.transforms.FloatImage}s and {@link io.sluice.loader.Features}; a chain's
 * {@code toString()} describes it and {@link io.sluice.transforms.Transforms#cacheKey} turns that into a
 * stable key. Images are interleaved (HWC) in memory and laid out as CHW or HWC only when written into a
 * batch tensor.
 *
 * <p>Random steps draw only from {@link io.sluice.loader.SampleContext#random()}, so a sample's
 * augmentation depends on (seed, epoch, sample index) alone, whichever worker thread runs it.
 */
package io.sluice.transforms;
