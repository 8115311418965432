package io.sluice.transforms;

/**
 * JPEG's YCbCr to RGB conversion, in the fixed-point arithmetic of libjpeg's {@code jdcolor.c}, so the
 * result is bit for bit what libjpeg (and libjpeg-turbo, whose SIMD code matches it) gives.
 */
final class YccToRgb {
  private static final int SCALE_BITS = 16;
  private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
  private static final int[] CR_TO_R = new int[256];
  private static final int[] CB_TO_B = new int[256];
  private static final int[] CR_TO_G = new int[256];
  private static final int[] CB_TO_G = new int[256];
  private static final byte[] CLAMP = new byte[256 + 2 * 512];

  static {
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_TO_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
      CB_TO_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
      CR_TO_G[i] = -fix(0.71414) * x;
      CB_TO_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
    for (int i = 0; i < CLAMP.length; i++) {
      CLAMP[i] = (byte) Math.max(0, Math.min(255, i - 512));
    }
  }

  private YccToRgb() {}

  private static int fix(double x) {
    return (int) (x * (1 << SCALE_BITS) + 0.5);
  }

  /** Converts interleaved Y, Cb, Cr samples to R, G, B in place. */
  static void convert(byte[] samples, int from, int to) {
    for (int i = from; i < to; i += 3) {
      int y = (samples[i] & 0xFF) + 512;
      int cb = samples[i + 1] & 0xFF;
      int cr = samples[i + 2] & 0xFF;
      samples[i] = CLAMP[y + CR_TO_R[cr]];
      samples[i + 1] = CLAMP[y + ((CB_TO_G[cb] + CR_TO_G[cr]) >> SCALE_BITS)];
      samples[i + 2] = CLAMP[y + CB_TO_B[cb]];
    }
  }
}
