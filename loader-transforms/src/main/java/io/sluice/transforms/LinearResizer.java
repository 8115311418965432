package io.sluice.transforms;

/**
 * A native implementation of the bilinear resize that resizes and crops use, found with {@link java.util.ServiceLoader}:
 * {@code loader-datavec} supplies one over OpenCV's {@code INTER_LINEAR_EXACT}. It must give bit for bit the
 * pixels of the Java implementation (see {@code Resampler.bilinear}): it only makes them faster, so whether one
 * is on the class path never changes a sample. Only a module that adds one implements this.
 *
 * <p>The system property {@code sluice.resize=java} turns every implementation off (for comparisons).
 */
public interface LinearResizer {
  /** Null if it can resize in this JVM, else why not (for example, its native library did not load). */
  String problem();

  /**
   * The {@code outWidth x outHeight} bilinear resampling of the window at {@code (x, y)}, {@code windowWidth x
   * windowHeight}, of an interleaved 8-bit image, mirrored left to right if {@code mirrored}; or null to leave this
   * one to the Java implementation.
   *
   * @param pixels {@code width * height * channels} samples, HWC; not modified
   * @param channels 1 or 3
   */
  byte[] resize(byte[] pixels, int width, int height, int channels, int x, int y, int windowWidth, int windowHeight,
      int outWidth, int outHeight, boolean mirrored);

  /** The first implementation on the class path that can resize here, or null (also if turned off). */
  static LinearResizer installed() {
    return Installed.RESIZER;
  }

  /** Looked up once. */
  final class Installed {
    static final LinearResizer RESIZER = Accelerators.first(LinearResizer.class, LinearResizer::problem, "sluice.resize", "java");

    private Installed() {}
  }
}
