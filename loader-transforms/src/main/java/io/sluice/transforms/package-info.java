/**
 * Image steps for the Sluice transform chain.
 *
 * <p>The front door is {@link io.sluice.transforms.Images}, whose static factories return typed
 * {@link io.sluice.loader.Transform}s between stored objects, 8-bit {@link io.sluice.transforms.Image}s,
 * {@link io.sluice.transforms.FloatImage}s and {@link io.sluice.loader.Features}. Images are interleaved
 * (HWC) in memory and become CHW only when written into a batch tensor.
 */
package io.sluice.transforms;
