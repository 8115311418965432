package io.sluice.transforms;

/**
 * Where an image's pixels came from: the axis-aligned map from the decoded image (the one a manifest's
 * boxes and masks are drawn on) to this image, made up of every crop, pad, resize and flip applied since.
 *
 * <p>Coordinates are continuous, pixel {@code i} covering {@code [i, i + 1)}: a point {@code x} of the decoded
 * image is at {@code scaleX * x + offsetX} here (a horizontal flip makes {@code scaleX} negative), and likewise
 * for {@code y}. Each geometric step records its part as it renders, from the same random draw as its
 * pixels, so boxes mapped with {@link #mapBox} and masks resampled through {@link #sourceX}/{@link #sourceY}
 * follow the image exactly. A step whose geometry is not known (a DataVec transform) makes the geometry
 * {@link #known() unknown}.
 *
 * @param sourceWidth the decoded image's width
 * @param sourceHeight the decoded image's height
 * @param width this image's width
 * @param height this image's height
 * @param known false after a step whose geometry is not known
 */
public record ImageGeometry(int sourceWidth, int sourceHeight, double scaleX, double offsetX, double scaleY,
    double offsetY, int width, int height, boolean known) {

  /** The geometry of an image as decoded, {@code width x height}. */
  public static ImageGeometry identity(int width, int height) {
    return new ImageGeometry(width, height, 1, 0, 1, 0, width, height, true);
  }

  /** This geometry followed by keeping {@code window} and scaling it to {@code outWidth x outHeight}. */
  ImageGeometry window(Window window, int outWidth, int outHeight) {
    double sx = (double) outWidth / window.width();
    double sy = (double) outHeight / window.height();
    return new ImageGeometry(sourceWidth, sourceHeight, scaleX * sx, (offsetX - window.x()) * sx, scaleY * sy,
        (offsetY - window.y()) * sy, outWidth, outHeight, known);
  }

  /** This geometry followed by a left-to-right mirror. */
  ImageGeometry mirrorColumns() {
    return new ImageGeometry(sourceWidth, sourceHeight, -scaleX, width - offsetX, scaleY, offsetY, width, height,
        known);
  }

  /** This geometry followed by a top-to-bottom mirror. */
  ImageGeometry mirrorRows() {
    return new ImageGeometry(sourceWidth, sourceHeight, scaleX, offsetX, -scaleY, height - offsetY, width, height,
        known);
  }

  /** This geometry marked unknown, for an image of {@code width x height}. */
  ImageGeometry unknown(int newWidth, int newHeight) {
    return new ImageGeometry(sourceWidth, sourceHeight, scaleX, offsetX, scaleY, offsetY, newWidth, newHeight, false);
  }

  /**
   * The box {@code [x1, x2) x [y1, y2)} of the decoded image mapped here, as {@code {x1, y1, x2, y2}} with
   * {@code x1 <= x2} and {@code y1 <= y2}; not clipped.
   */
  public double[] mapBox(double x1, double y1, double x2, double y2) {
    double a = scaleX * x1 + offsetX;
    double b = scaleX * x2 + offsetX;
    double c = scaleY * y1 + offsetY;
    double d = scaleY * y2 + offsetY;
    return new double[] {Math.min(a, b), Math.min(c, d), Math.max(a, b), Math.max(c, d)};
  }

  /** The column of the decoded image whose pixel holds the centre of column {@code x} here, or -1 if none does. */
  public int sourceX(int x) {
    return source(x, scaleX, offsetX, sourceWidth);
  }

  /** The row of the decoded image whose pixel holds the centre of row {@code y} here, or -1 if none does. */
  public int sourceY(int y) {
    return source(y, scaleY, offsetY, sourceHeight);
  }

  private static int source(int i, double scale, double offset, int size) {
    double at = Math.floor((i + 0.5 - offset) / scale);
    return at < 0 || at >= size ? -1 : (int) at;
  }
}
