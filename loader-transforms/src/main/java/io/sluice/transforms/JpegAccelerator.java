package io.sluice.transforms;

/**
 * A native implementation of the {@link JpegDecoder#IMAGE_IO} decode of gray and YCbCr JPEGs, found with
 * {@link java.util.ServiceLoader}: {@code loader-libjpeg-turbo} supplies one that calls libjpeg-turbo directly and decodes
 * only the window a crop needs. It must give bit for bit the pixels javax.imageio gives in the same JVM: it only
 * makes them faster, so whether one is on the class path never changes a sample. Only a module that adds one
 * implements this.
 *
 * <p>The system property {@code sluice.jpeg=imageio} turns every implementation off (for comparisons).
 */
public interface JpegAccelerator {
  /** Null if it can decode in this JVM, else why not (its native library did not load, or its pixels differ). */
  String problem();

  /**
   * The window at {@code (x, y)}, {@code width x height}, of a JPEG, decoded to interleaved samples: RGB for a
   * YCbCr JPEG ({@code channels} 3), gray for a gray one ({@code channels} 1); or null to leave this one to
   * javax.imageio (for example, the JPEG's components are not what {@code channels} says). Decoding stops after
   * the window's last row; the caller checks for an end-of-image marker below it. Exif orientation is the
   * caller's.
   *
   * @param jpeg the whole file
   * @throws MalformedImageException if libjpeg reports an error or a warning (corrupt or truncated data)
   */
  byte[] decode(byte[] jpeg, int channels, int x, int y, int width, int height) throws MalformedImageException;

  /** The first implementation on the class path that can decode here, or null (also if turned off). */
  static JpegAccelerator installed() {
    return Installed.ACCELERATOR;
  }

  /** Looked up once. */
  final class Installed {
    static final JpegAccelerator ACCELERATOR = Accelerators.first(JpegAccelerator.class, JpegAccelerator::problem, "sluice.jpeg", "imageio");

    private Installed() {}
  }
}
