package io.sluice.transforms.libjpeg;

import io.sluice.transforms.Image;
import io.sluice.transforms.JpegCodec;
import io.sluice.transforms.JpegDecoder;
import io.sluice.transforms.MalformedImageException;

/**
 * {@link JpegDecoder#LIBJPEG_TURBO}: gray and YCbCr JPEGs to RGB by the system's libjpeg-turbo, reduced by 2, 4 or 8
 * in the DCT domain ({@code scale_denom}), or at full size only the window a crop needs. Unlike the
 * {@link LibjpegTurboJpeg} accelerator, which must agree with this JVM's javax.imageio, this is a decoder the user
 * chooses, so it is available wherever the native library loads, on any JDK, and its pixels are libjpeg-turbo's on
 * all of them. Found by loader-transforms through {@link java.util.ServiceLoader}.
 */
public final class LibjpegTurboCodec implements JpegCodec {
  /** The codec; {@link java.util.ServiceLoader} calls this. */
  public LibjpegTurboCodec() {}

  @Override
  public JpegDecoder decoder() {
    return JpegDecoder.LIBJPEG_TURBO;
  }

  @Override
  public String problem() {
    return LibjpegTurboJpeg.Native.LOAD_PROBLEM;
  }

  @Override
  public Image decode(byte[] jpeg, int reduction) throws MalformedImageException {
    return rgb(jpeg, reduction, 0, 0, 0, 0);
  }

  @Override
  public boolean decodesWindows() {
    return true;
  }

  @Override
  public Image decodeWindow(byte[] jpeg, int x, int y, int width, int height) throws MalformedImageException {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("empty window " + width + "x" + height);
    }
    return rgb(jpeg, 1, x, y, width, height);
  }

  private static Image rgb(byte[] jpeg, int reduction, int x, int y, int width, int height)
      throws MalformedImageException {
    if (LibjpegTurboJpeg.Native.LOAD_PROBLEM != null) {
      throw new IllegalStateException("libjpeg-turbo is not available: " + LibjpegTurboJpeg.Native.LOAD_PROBLEM);
    }
    int[] size = new int[2];
    byte[] pixels = decodeRgb(jpeg, reduction, x, y, width, height, size);
    if (pixels == null) {
      throw new MalformedImageException("not a gray or YCbCr JPEG with 8-bit samples");
    }
    return new Image(size[0], size[1], 3, pixels);
  }

  /** The JNI function; see {@code sluice_libjpeg.c}. A width of 0: the whole image, reduced; its size into size. */
  static native byte[] decodeRgb(byte[] jpeg, int reduction, int x, int y, int width, int height, int[] size)
      throws MalformedImageException;
}
