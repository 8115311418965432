package io.sluice.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;

/**
 * One javax.imageio reader per format per thread, reused from image to image.
 *
 * <p>The JDK's own readers ({@code com.sun.imageio.plugins.*}) are preferred over plug-ins found on the
 * class path (TwelveMonkeys, which DataVec brings, registers its own JPEG and BMP readers), so results do
 * not depend on which jars are present. Each reader collects its warnings, which a decode turns into an
 * error.
 */
final class ImageIoReaders {
  private static final Map<String, ImageReaderSpi> PROVIDERS = new HashMap<>();
  private static final ThreadLocal<Map<String, Reader>> READERS = ThreadLocal.withInitial(HashMap::new);

  private ImageIoReaders() {}

  /** A reader and the warnings it reported since {@link #start}. */
  static final class Reader {
    final ImageReader reader;
    final List<String> warnings = new ArrayList<>(2);
    private final ByteArrayImageInputStream input = new ByteArrayImageInputStream();

    Reader(ImageReader reader) {
      this.reader = reader;
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    }

    /** Points the reader at {@code bytes}, forgetting earlier input and warnings. */
    void start(byte[] bytes) {
      warnings.clear();
      reader.setInput(input.restart(bytes), true, true);
    }

    /** Lets go of the input. */
    void finish() {
      reader.setInput(null);
      input.release();
    }
  }

  /**
   * This thread's reader for {@code format} ("jpeg", "png", "gif", "bmp").
   *
   * @throws IllegalStateException if javax.imageio has no reader for it
   */
  static Reader get(String format) {
    Map<String, Reader> readers = READERS.get();
    Reader reader = readers.get(format);
    if (reader == null) {
      try {
        reader = new Reader(provider(format).createReaderInstance());
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create a javax.imageio reader for " + format, e);
      }
      readers.put(format, reader);
    }
    return reader;
  }

  /** Drops this thread's reader for {@code format}, after it failed in a way that may leave it unusable. */
  static void discard(String format) {
    Reader reader = READERS.get().remove(format);
    if (reader != null) {
      try {
        reader.reader.dispose();
      } catch (RuntimeException ignored) {
        // Already unusable; nothing more to release.
      }
    }
  }

  private static synchronized ImageReaderSpi provider(String format) {
    ImageReaderSpi provider = PROVIDERS.get(format);
    if (provider == null) {
      ImageReaderSpi first = null;
      Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
      while (it.hasNext()) {
        ImageReader candidate = it.next();
        ImageReaderSpi spi = candidate.getOriginatingProvider();
        candidate.dispose();
        if (spi == null) {
          continue;
        }
        if (first == null) {
          first = spi;
        }
        if (spi.getClass().getName().startsWith("com.sun.imageio.plugins.")) {
          provider = spi;
          break;
        }
      }
      if (provider == null) {
        provider = first;
      }
      if (provider == null) {
        throw new IllegalStateException("no javax.imageio reader for " + format);
      }
      PROVIDERS.put(format, provider);
    }
    return provider;
  }
}
