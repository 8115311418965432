/**
 * Optional DataVec and OpenCV steps for the Sluice chain: {@link io.sluice.transforms.datavec.DataVecImages}
 * runs DataVec {@code ImageTransform}s as steps, and {@link io.sluice.transforms.datavec.OpenCvJpeg} supplies
 * {@link io.sluice.transforms.JpegDecoder#OPENCV}. Kept out of {@code loader-transforms} because DataVec's image
 * library brings native libraries (OpenCV, FFmpeg, Leptonica, HDF5 ...) that the ImageIO path does not need.
 */
package io.sluice.transforms.datavec;
