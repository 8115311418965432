package io.sluice.transforms;

import io.sluice.loader.PrefixCodec;
import io.sluice.loader.SluiceException;
import java.nio.ByteBuffer;

/**
 * An 8-bit {@link Image} as bytes for a prefix cache: a 16-byte header (magic, width, height, channels) and the
 * pixels as they are. Exact: the decoded image equals the encoded one.
 */
enum ImageCodec implements PrefixCodec<Image> {
  INSTANCE;

  private static final int MAGIC = 0x534C5049; // "SLPI"
  private static final int HEADER = 16;

  @Override
  public byte[] encode(Image image) {
    byte[] pixels = image.pixels();
    byte[] out = new byte[HEADER + pixels.length];
    ByteBuffer.wrap(out).putInt(MAGIC).putInt(image.width()).putInt(image.height()).putInt(image.channels());
    System.arraycopy(pixels, 0, out, HEADER, pixels.length);
    return out;
  }

  @Override
  public Image decode(byte[] bytes) {
    if (bytes.length < HEADER) {
      throw new SluiceException("not a cached image: " + bytes.length + " bytes, shorter than the header");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int magic = b.getInt();
    int width = b.getInt();
    int height = b.getInt();
    int channels = b.getInt();
    long expected = (long) width * height * channels;
    if (magic != MAGIC || width <= 0 || height <= 0 || (channels != 1 && channels != 3)
        || expected != bytes.length - HEADER) {
      throw new SluiceException("not a cached image: header " + Integer.toHexString(magic) + " " + width + "x" + height
          + "x" + channels + " for " + (bytes.length - HEADER) + " bytes of pixels");
    }
    byte[] pixels = new byte[bytes.length - HEADER];
    System.arraycopy(bytes, HEADER, pixels, 0, pixels.length);
    return new Image(width, height, channels, pixels);
  }

  @Override
  public String toString() {
    return "8-bit image codec";
  }
}
