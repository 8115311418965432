package io.sluice.transforms.datavec;

import java.util.function.Supplier;
import org.bytedeco.javacpp.Loader;

/** Loading OpenCV's native libraries (bytedeco, through JavaCPP) for this module's codecs, and saying why not. */
final class OpenCvNatives {
  private OpenCvNatives() {}

  /** Null if the native libraries of {@code preset} (e.g. {@code opencv_imgproc.class}) loaded, else why not. */
  static String load(Class<?> preset) {
    try {
      Loader.load(preset);
      return null;
    } catch (Throwable t) { // LinkageError or a missing class: anything means "not available".
      return t.toString();
    }
  }

  /**
   * What {@code availability} (a holder's field, set by {@link #load}) says, or why reading it failed: a
   * NoClassDefFoundError when bytedeco OpenCV is not on the class path at all.
   */
  static String problem(Supplier<String> availability) {
    try {
      return availability.get();
    } catch (Throwable t) {
      return t.toString();
    }
  }
}
