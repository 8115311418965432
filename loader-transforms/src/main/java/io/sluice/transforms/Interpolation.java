package io.sluice.transforms;

/** How resizing steps compute a destination pixel from the source pixels around it. */
public enum Interpolation {
  /**
   * Bilinear interpolation between the four nearest source pixels, with pixel centres aligned as by
   * OpenCV's {@code INTER_LINEAR} and PIL without antialiasing. Fast; large reductions alias.
   */
  BILINEAR,
  /**
   * The mean of the source area each destination pixel covers, partly covered pixels weighted by the part
   * covered: the choice for reducing without aliasing. When enlarging, a destination pixel lies within one
   * source pixel or blends the two it straddles. Equal to OpenCV's {@code INTER_AREA} (within a level) when
   * both axes shrink or both grow; when one shrinks and the other grows, OpenCV falls back to a two-tap
   * blend, while this stays the exact area mean on each axis.
   */
  AREA;

  /** The lower-case name used in step descriptions, e.g. {@code bilinear}. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
