package io.sluice.transforms;

import io.sluice.loader.PrefixCodec;
import io.sluice.loader.SluiceException;
import java.nio.ByteBuffer;

/**
 * An 8-bit {@link Image} as bytes for a prefix cache: a 60-byte header (magic, width, height, channels, and the
 * image's {@link ImageGeometry}, so boxes and masks still follow a cached image) and the pixels as they are. Exact:
 * the decoded image equals the encoded one, geometry included.
 */
enum ImageCodec implements PrefixCodec<Image> {
  INSTANCE;

  private static final int MAGIC = 0x534C5032; // "SLP2"
  private static final int HEADER = 60;

  @Override
  public byte[] encode(Image image) {
    byte[] pixels = image.pixels();
    byte[] out = new byte[HEADER + pixels.length];
    ImageGeometry g = image.geometry();
    ByteBuffer.wrap(out).putInt(MAGIC).putInt(image.width()).putInt(image.height()).putInt(image.channels())
        .putInt(g.known() ? 1 : 0).putInt(g.sourceWidth()).putInt(g.sourceHeight())
        .putDouble(g.scaleX()).putDouble(g.offsetX()).putDouble(g.scaleY()).putDouble(g.offsetY());
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
    boolean known = b.getInt() == 1;
    int sourceWidth = b.getInt();
    int sourceHeight = b.getInt();
    double scaleX = b.getDouble();
    double offsetX = b.getDouble();
    double scaleY = b.getDouble();
    double offsetY = b.getDouble();
    long expected = (long) width * height * channels;
    if (magic != MAGIC || width <= 0 || height <= 0 || (channels != 1 && channels != 3)
        || expected != bytes.length - HEADER) {
      throw new SluiceException("not a cached image: header " + Integer.toHexString(magic) + " " + width + "x" + height
          + "x" + channels + " for " + (bytes.length - HEADER) + " bytes of pixels");
    }
    byte[] pixels = new byte[bytes.length - HEADER];
    System.arraycopy(bytes, HEADER, pixels, 0, pixels.length);
    return new Image(width, height, channels, pixels).withGeometry(new ImageGeometry(sourceWidth, sourceHeight, scaleX,
        offsetX, scaleY, offsetY, width, height, known));
  }

  @Override
  public String toString() {
    return "8-bit image codec";
  }
}
