package io.sluice.transforms;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Which library decodes JPEGs. PNG, GIF and BMP always go through javax.imageio, and so do the rare JPEGs
 * that are neither gray nor YCbCr (CMYK, YCCK, RGB), whichever decoder is chosen.
 *
 * <p>Decoders differ in their last bits: JPEG leaves the inverse DCT and chroma upsampling to the decoder,
 * so two decoders can differ by a level or two on some pixels. Choose one per training run.
 */
public enum JpegDecoder {
  /**
   * javax.imageio's built-in reader, which wraps libjpeg: on Debian and Ubuntu JDKs the system's
   * libjpeg-turbo, elsewhere a bundled libjpeg (about half as fast). Always available; the default. Reads
   * only the rows a following crop needs. Reduced-size decoding decodes in full, then averages blocks.
   */
  IMAGE_IO,
  /**
   * OpenCV's {@code imdecode} through JavaCPP ({@code org.bytedeco:opencv}, brought by DataVec's
   * {@code datavec-data-image}); available only with the optional {@code io.sluice:loader-datavec} module on
   * the class path. Reduced-size decoding is done in the DCT domain. On the machines measured (OpenCV 4.5.5,
   * the version ND4J 1.0.0-M2.1 pins) it was slower than {@link #IMAGE_IO}, reduced or not.
   */
  OPENCV,
  /**
   * The system's libjpeg-turbo called directly ({@code libjpeg.so.62}, islow IDCT, fancy upsampling), through the
   * optional {@code io.sluice:loader-libjpeg-turbo} module (Linux x86-64). Reduced-size decoding is done in the DCT
   * domain, and at full size only the window a following crop needs is decoded. Its pixels are the same on every JDK
   * (javax.imageio's depend on the libjpeg the JDK was built with); at full size they are {@link #IMAGE_IO}'s on
   * Debian's and Ubuntu's JDKs, whose javax.imageio calls the same library.
   */
  LIBJPEG_TURBO;

  /** Whether this decoder can be used in this JVM; {@link #IMAGE_IO} always can. */
  public boolean available() {
    return problem() == null;
  }

  /** Null if this decoder can be used, else why not. */
  String problem() {
    if (this == IMAGE_IO) {
      return null;
    }
    try {
      JpegCodec codec = Codecs.find(this);
      if (codec == null) {
        return "no " + JpegCodec.class.getSimpleName() + " for " + this + " on the class path: add the module"
            + (this == OPENCV ? " io.sluice:loader-datavec" : " io.sluice:loader-libjpeg-turbo");
      }
      return codec.problem();
    } catch (ServiceConfigurationError | LinkageError e) { // a codec, its native library or a class is missing
      return e.toString();
    }
  }

  /** The codec that implements this decoder; only for decoders other than {@link #IMAGE_IO} that are available. */
  JpegCodec codec() {
    JpegCodec codec = Codecs.find(this);
    if (codec == null) {
      throw new IllegalStateException("the " + this + " JPEG decoder is not available: " + problem());
    }
    return codec;
  }

  /** The codecs on the class path, looked up once. */
  private static final class Codecs {
    private static final List<JpegCodec> ALL = ServiceLoader.load(JpegCodec.class,
        JpegCodec.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    static JpegCodec find(JpegDecoder decoder) {
      for (JpegCodec c : ALL) {
        if (c.decoder() == decoder) {
          return c;
        }
      }
      return null;
    }
  }

  /** The decoder {@link Images#decode(int)} uses: {@link #IMAGE_IO}, the fastest measured that is always present. */
  public static JpegDecoder defaultDecoder() {
    return IMAGE_IO;
  }

  /** The lower-case name used in step descriptions, e.g. {@code opencv}. */
  @Override
  public String toString() {
    return switch (this) {
      case IMAGE_IO -> "imageio";
      case OPENCV -> "opencv";
      case LIBJPEG_TURBO -> "libjpeg-turbo";
    };
  }
}
