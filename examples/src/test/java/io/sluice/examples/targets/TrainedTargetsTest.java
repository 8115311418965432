package io.sluice.examples.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Target;
import io.sluice.transforms.Detection;
import io.sluice.transforms.Images;
import io.sluice.transforms.Segmentation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The three examples train (their loss falls) on generated Ground Truth style data, read from memory. */
class TrainedTargetsTest {

  private static void assertFalls(double[] losses, String printed) {
    System.out.print(printed);
    assertTrue(losses[losses.length - 1] < losses[0] * 0.9, "loss falls by a tenth at least: " + Arrays.toString(losses)
        + "\n" + printed);
  }

  @Test
  void detectionLossFalls() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    double[] losses = DetectionExample.run(160, 5, 3, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertFalls(losses, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void segmentationLossFalls() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    double[] losses = SegmentationExample.run(96, 4, 3, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertFalls(losses, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void multiLabelLossFalls() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    double[] losses = MultiLabelExample.run(160, 6, 3, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertFalls(losses, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theGeneratedLabelsMatchTheManifest() {
    AnnotatedShapes.Data data = AnnotatedShapes.generate("mem://check/", 4, 9);
    try (DataLoader loader = DataLoader.builder().manifest(data.manifest()).store(data.store())
        .attributes(data.attributes()).transform(Images.decode(3).andThen(Images.imageToTensor(1f)))
        .targets(Target.multiHot("shapes", AnnotatedShapes.SHAPES),
            Detection.padded("boxes", AnnotatedShapes.SHAPES, 3, 1),
            Segmentation.classIndices("mask-ref", AnnotatedShapes.MASK_CLASSES))
        .batchSize(4).shuffle(false).build();
        BatchIterator epoch = loader.epoch(0)) {
      Batch b = epoch.next();
      float[] kHot = b.outputs().get(0).data().asFloat();
      float[] boxes = b.outputs().get(1).data().asFloat();
      float[] masks = b.outputs().get(2).data().asFloat();
      for (int row = 0; row < 4; row++) {
        for (int slot = 0; slot < 3; slot++) {
          int c = (int) boxes[row * 15 + slot * 5];
          if (c < 0) {
            continue;
          }
          assertEquals(1f, kHot[row * 3 + c], "a boxed shape is in the k-hot set");
          // the box's centre pixel is the shape's class in the mask (class indices are shifted by BACKGROUND)
          int cx = (int) ((boxes[row * 15 + slot * 5 + 1] + boxes[row * 15 + slot * 5 + 3]) / 2);
          int cy = (int) ((boxes[row * 15 + slot * 5 + 2] + boxes[row * 15 + slot * 5 + 4]) / 2);
          assertEquals(c + 1, masks[row * 32 * 32 + cy * 32 + cx], "mask at the box centre");
        }
      }
      assertArrayEquals(new long[] {4, 1, 32, 32}, b.outputs().get(2).shape());
    }
  }
}
