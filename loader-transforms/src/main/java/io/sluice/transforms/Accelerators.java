package io.sluice.transforms;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Finding the native implementations ({@link LinearResizer}, {@link JpegAccelerator}) that optional modules add. */
final class Accelerators {
  private Accelerators() {}

  /**
   * The first implementation of {@code type} on the class path whose {@code problem} is null, or null: also when
   * the system property {@code property} is {@code off}, or a class or native library is missing.
   */
  static <T> T first(Class<T> type, Function<T, String> problem, String property, String off) {
    if (off.equals(System.getProperty(property))) {
      return null;
    }
    try {
      List<T> all = ServiceLoader.load(type, type.getClassLoader()).stream().map(ServiceLoader.Provider::get)
          .toList();
      for (T candidate : all) {
        if (problem.apply(candidate) == null) {
          return candidate;
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) { // a missing class or native library: none here
      return null;
    }
    return null;
  }
}
