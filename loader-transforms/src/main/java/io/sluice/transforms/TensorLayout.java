package io.sluice.transforms;

/** The order in which an image's values are laid out in a sample's tensor. */
public enum TensorLayout {
  /** Channel, then row, then column: shape {@code [channels, height, width]}, what DL4J's CNN layers take. */
  CHW,
  /** Row, then column, then channel: shape {@code [height, width, channels]}, the order images are held in. */
  HWC;

  long[] shape(int channels, int height, int width) {
    return this == CHW ? new long[] {channels, height, width} : new long[] {height, width, channels};
  }
}
