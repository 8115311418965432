package io.sluice.transforms;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** OpenCV 4.5.5 (bytedeco) as the reference implementation of resizing and flipping. */
final class OpenCvReference {
  private OpenCvReference() {}

  /** {@code cv::resize} with {@code INTER_LINEAR} or {@code INTER_AREA}. */
  static Image resize(Image image, int width, int height, Interpolation interpolation) {
    try (Mat src = DataVecImageStep.toMat(image); Mat dst = new Mat(); Size size = new Size(width, height)) {
      opencv_imgproc.resize(src, dst, size, 0, 0, interpolation == Interpolation.AREA ? INTER_AREA : INTER_LINEAR);
      return DataVecImageStep.fromMat(dst, "cv::resize", TestImages.CONTEXT);
    }
  }

  /** {@code cv::flip}: code 1 mirrors left to right, 0 top to bottom. */
  static Image flip(Image image, int code) {
    try (Mat src = DataVecImageStep.toMat(image); Mat dst = new Mat()) {
      opencv_core.flip(src, dst, code);
      return DataVecImageStep.fromMat(dst, "cv::flip", TestImages.CONTEXT);
    }
  }
}
