package io.sluice.transforms.datavec;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR_EXACT;

import io.sluice.transforms.LinearResizer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The bilinear resize of resizes and crops done by OpenCV's {@code INTER_LINEAR_EXACT} (vectorised C++), which
 * gives bit for bit the pixels of Sluice's Java implementation: found by loader-transforms through
 * {@link java.util.ServiceLoader}, it makes them faster and changes nothing else.
 *
 * <p>Each call copies the window's rows into native memory kept per thread, resizes there and copies the result
 * back. OpenCV's native libraries load the first time something asks whether this can be used.
 */
public final class OpenCvLinearResize implements LinearResizer {
  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  /** The resizer; {@link java.util.ServiceLoader} calls this. */
  public OpenCvLinearResize() {}

  /** Whether OpenCV loaded, or why not. */
  private static final class Availability {
    static final String PROBLEM = OpenCvNatives.load(opencv_imgproc.class);
  }

  @Override
  public String problem() {
    return OpenCvNatives.problem(() -> Availability.PROBLEM);
  }


  @Override
  public byte[] resize(byte[] pixels, int width, int height, int channels, int x, int y, int windowWidth,
      int windowHeight, int outWidth, int outHeight, boolean mirrored) {
    int type = channels == 3 ? CV_8UC3 : CV_8UC1;
    int rowBytes = width * channels;
    int inBytes = windowHeight * rowBytes;
    int outBytes = outWidth * outHeight * channels;
    Buffers buffers = BUFFERS.get();
    BytePointer in = buffers.in(inBytes);
    in.position(0).put(pixels, y * rowBytes, inBytes).position(0);
    BytePointer out = buffers.out(outBytes);
    try (Mat rows = new Mat(windowHeight, width, type, in);
         Rect rect = new Rect(x, 0, windowWidth, windowHeight);
         Mat window = new Mat(rows, rect);
         Mat resized = new Mat(outHeight, outWidth, type, out);
         Size size = new Size(outWidth, outHeight)) {
      opencv_imgproc.resize(window, resized, size, 0, 0, INTER_LINEAR_EXACT);
      byte[] result = new byte[outBytes];
      if (mirrored) {
        BytePointer mirror = buffers.mirror(outBytes);
        try (Mat flipped = new Mat(outHeight, outWidth, type, mirror)) {
          flip(resized, flipped, 1);
        }
        mirror.position(0).get(result);
      } else {
        out.position(0).get(result);
      }
      return result;
    }
  }

  /** Native memory of one thread, grown as needed and kept. */
  private static final class Buffers {
    private BytePointer in = new BytePointer(0L);
    private BytePointer out = new BytePointer(0L);
    private BytePointer mirror = new BytePointer(0L);

    BytePointer in(int bytes) {
      return in = atLeast(in, bytes);
    }

    BytePointer out(int bytes) {
      return out = atLeast(out, bytes);
    }

    BytePointer mirror(int bytes) {
      return mirror = atLeast(mirror, bytes);
    }

    /** {@code buffer} if it holds {@code bytes}, else a new one that does (the old one freed). */
    private static BytePointer atLeast(BytePointer buffer, int bytes) {
      if (buffer.capacity() >= bytes) {
        return buffer;
      }
      buffer.close();
      return new BytePointer((long) bytes);
    }
  }
}
