package io.sluice.transforms;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** OpenCV 4.5.5 (bytedeco) as the reference implementation of resizing and flipping. */
final class OpenCvReference {
  private OpenCvReference() {}

  /** {@code cv::resize} with {@code INTER_LINEAR} or {@code INTER_AREA}. */
  static Image resize(Image image, int width, int height, Interpolation interpolation) {
    try (Mat src = toMat(image); Mat dst = new Mat(); Size size = new Size(width, height)) {
      opencv_imgproc.resize(src, dst, size, 0, 0, interpolation == Interpolation.AREA ? INTER_AREA : INTER_LINEAR);
      return fromMat(dst);
    }
  }

  /** {@code cv::flip}: code 1 mirrors left to right, 0 top to bottom. */
  static Image flip(Image image, int code) {
    try (Mat src = toMat(image); Mat dst = new Mat()) {
      opencv_core.flip(src, dst, code);
      return fromMat(dst);
    }
  }

  /** An OpenCV matrix holding a copy of {@code image}, BGR for color. */
  private static Mat toMat(Image image) {
    byte[] data = image.pixels();
    if (image.channels() == 3) {
      data = swapRedBlue(data);
    }
    Mat mat = new Mat(image.height(), image.width(), image.channels() == 3 ? CV_8UC3 : CV_8UC1);
    mat.data().put(data, 0, data.length);
    return mat;
  }

  /** An 8-bit gray or BGR matrix as an image. */
  private static Image fromMat(Mat mat) {
    int channels = mat.channels();
    if (mat.depth() != CV_8U || (channels != 1 && channels != 3)) {
      throw new IllegalStateException("unexpected OpenCV matrix: " + channels + " channels, depth " + mat.depth());
    }
    Mat continuous = mat.isContinuous() ? mat : mat.clone();
    byte[] data = new byte[continuous.cols() * continuous.rows() * channels];
    continuous.data().get(data, 0, data.length);
    return new Image(continuous.cols(), continuous.rows(), channels, channels == 3 ? swapRedBlue(data) : data);
  }

  private static byte[] swapRedBlue(byte[] pixels) {
    byte[] out = pixels.clone();
    for (int i = 0; i < out.length; i += 3) {
      out[i] = pixels[i + 2];
      out[i + 2] = pixels[i];
    }
    return out;
  }
}
