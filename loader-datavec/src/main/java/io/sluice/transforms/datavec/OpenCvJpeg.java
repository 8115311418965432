package io.sluice.transforms.datavec;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.sluice.transforms.Image;
import io.sluice.transforms.JpegCodec;
import io.sluice.transforms.JpegDecoder;
import io.sluice.transforms.MalformedImageException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * {@link JpegDecoder#OPENCV}: JPEG decoding by OpenCV's {@code imdecode} through JavaCPP (the bytedeco OpenCV
 * that DataVec brings), optionally reduced by 2, 4 or 8 in the DCT domain ({@code IMREAD_REDUCED_COLOR_n}).
 * Found by loader-transforms through {@link java.util.ServiceLoader}.
 *
 * <p>Only this class touches OpenCV's decoder, and it loads OpenCV's native libraries only when asked whether
 * it can decode, so nothing loads them unless the OpenCV decoder is chosen.
 */
public final class OpenCvJpeg implements JpegCodec {
  /** The codec; {@link java.util.ServiceLoader} calls this. */
  public OpenCvJpeg() {}

  @Override
  public JpegDecoder decoder() {
    return JpegDecoder.OPENCV;
  }

  /** Whether OpenCV loaded, or why not. */
  private static final class Availability {
    static final String PROBLEM = OpenCvNatives.load(opencv_imgcodecs.class);
  }

  /** Null if OpenCV's decoder can be used here, else why not. */
  @Override
  public String problem() {
    return OpenCvNatives.problem(() -> Availability.PROBLEM);
  }

  /**
   * Decodes a JPEG to RGB, reduced by {@code reduction} (1, 2, 4 or 8): the result is
   * {@code ceil(width / reduction) x ceil(height / reduction)}. Exif orientation is ignored here.
   *
   * @throws MalformedImageException if OpenCV cannot decode it
   */
  @Override
  public Image decode(byte[] bytes, int reduction) throws MalformedImageException {
    int flags = IMREAD_IGNORE_ORIENTATION | switch (reduction) {
      case 1 -> IMREAD_COLOR;
      case 2 -> IMREAD_REDUCED_COLOR_2;
      case 4 -> IMREAD_REDUCED_COLOR_4;
      case 8 -> IMREAD_REDUCED_COLOR_8;
      default -> throw new IllegalArgumentException("reduction must be 1, 2, 4 or 8: " + reduction);
    };
    try (BytePointer data = new BytePointer(bytes);
         Mat encoded = new Mat(1, bytes.length, CV_8UC1, data);
         Mat decoded = imdecode(encoded, flags)) {
      if (decoded.empty()) {
        throw new MalformedImageException("OpenCV could not decode it");
      }
      int width = decoded.cols();
      int height = decoded.rows();
      if (decoded.channels() != 3 || decoded.elemSize1() != 1 || !decoded.isContinuous()) {
        throw new MalformedImageException("OpenCV returned an unexpected " + decoded.channels() + "-channel "
            + decoded.elemSize1() * 8 + "-bit matrix");
      }
      byte[] pixels = new byte[width * height * 3];
      decoded.data().get(pixels);
      for (int i = 0; i < pixels.length; i += 3) {
        byte blue = pixels[i];
        pixels[i] = pixels[i + 2];
        pixels[i + 2] = blue;
      }
      return new Image(width, height, 3, pixels);
    }
  }
}
