package io.sluice.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Entry;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Target;
import io.sluice.loader.Transform;
import io.sluice.loader.internal.Seeds;
import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.LabelMap;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.manifest.Manifests;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.StoredObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Boxes and masks follow every geometric step exactly, on a hand-made 8x6 image whose one object is the box
 * [2, 5) x [1, 3); Ground Truth style manifest lines; an in-memory store.
 */
class AnnotatedTargetsTest {
  private static final String PREFIX = "mem://gt/";
  private static final LabelMap BOX_CLASSES = LabelMap.ordered(List.of("thing"));
  private static final LabelMap MASK_CLASSES = LabelMap.ordered(List.of("BACKGROUND", "thing"));
  private static final int RED = 0xff0000;
  private static final int WHITE = 0xffffff;

  /** An 8x6 RGB PNG: red inside [x1, x2) x [y1, y2), white elsewhere. */
  private static byte[] png(int width, int height, int x1, int y1, int x2, int y2) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, x >= x1 && x < x2 && y >= y1 && y < y2 ? RED : WHITE);
      }
    }
    return TestImages.encode(image, "png");
  }

  /** One Ground Truth line: a bounding-box job "boxes" and a segmentation job "mask-ref". */
  private static String line(int i, String annotations, int width, int height) {
    return "{\"source-ref\": \"" + PREFIX + i + ".png\", "
        + "\"boxes\": {\"image_size\": [{\"width\": " + width + ", \"height\": " + height + ", \"depth\": 3}], "
        + "\"annotations\": [" + annotations + "]}, "
        + "\"boxes-metadata\": {\"class-map\": {\"0\": \"thing\"}, \"type\": \"groundtruth/object-detection\"}, "
        + "\"mask-ref\": \"" + PREFIX + "masks/" + i + ".png\", "
        + "\"mask-ref-metadata\": {\"internal-color-map\": {\"0\": {\"class-name\": \"BACKGROUND\", "
        + "\"hex-color\": \"#ffffff\"}, \"1\": {\"class-name\": \"thing\", \"hex-color\": \"#ff0000\"}}, "
        + "\"type\": \"groundtruth/semantic-segmentation\"}}\n";
  }

  private static final String BOX = "{\"class_id\": 0, \"left\": 2, \"top\": 1, \"width\": 3, \"height\": 2}";

  private record Data(Manifest manifest, EntryAttributes attributes, InMemoryObjectStore store) {}

  private static Data data(String lines, InMemoryObjectStore store) throws IOException {
    byte[] text = lines.getBytes(StandardCharsets.UTF_8);
    Manifest manifest = Manifests.reader().unlabelled().build()
        .readChannels(new ByteArrayInputStream(text), "gt.manifest").get("train");
    EntryAttributes attributes = EntryAttributes.read(new ByteArrayInputStream(text), "gt.manifest", manifest,
        "source-ref");
    return new Data(manifest, attributes, store);
  }

  /** One sample, the box object of the class comment, through decode -> step -> tensor. */
  private static Batch one(Transform<Image, Image> step, Target... targets) throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    store.put(PREFIX + "0.png", png(8, 6, 2, 1, 5, 3));
    store.put(PREFIX + "masks/0.png", png(8, 6, 2, 1, 5, 3));
    Data d = data(line(0, BOX, 8, 6), store);
    try (DataLoader loader = DataLoader.builder().manifest(d.manifest()).store(store).attributes(d.attributes())
        .transform(Images.decode(3).andThen(step).andThen(Images.imageToTensor(1 / 255f)))
        .targets(targets).batchSize(1).seed(7).workers(1).build();
        BatchIterator epoch = loader.epoch(0)) {
      return epoch.next();
    }
  }

  private static float[] boxRow(Batch b) {
    float[] all = b.outputs().get(0).data().asFloat();
    return new float[] {all[0], all[1], all[2], all[3], all[4]};
  }

  /** The mask as a width x height grid of 0/1, from class indices. */
  private static float[] mask(Batch b) {
    return b.outputs().get(1).data().asFloat();
  }

  private static float[] expectedMask(int width, int height, int x1, int y1, int x2, int y2) {
    float[] m = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        m[y * width + x] = x >= x1 && x < x2 && y >= y1 && y < y2 ? 1 : 0;
      }
    }
    return m;
  }

  private static void check(Transform<Image, Image> step, int width, int height, int x1, int y1, int x2, int y2)
      throws IOException {
    Batch b = one(step, Detection.padded("boxes", BOX_CLASSES, 2, 0), Segmentation.classIndices("mask-ref",
        MASK_CLASSES));
    assertArrayEquals(new float[] {0, x1, y1, x2, y2}, boxRow(b), step + ": box");
    assertArrayEquals(new float[] {-1, 0, 0, 0, 0},
        java.util.Arrays.copyOfRange(b.outputs().get(0).data().asFloat(), 5, 10), step + ": the pad row");
    assertArrayEquals(new long[] {1, 1, height, width}, b.outputs().get(1).shape(), step + ": mask shape");
    assertArrayEquals(expectedMask(width, height, x1, y1, x2, y2), mask(b), step + ": mask");
    // the image itself: red where the box is (the red channel is 1 everywhere, green 0 inside the box)
    float[] green = b.features().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.point(1)).dup().data().asFloat();
    for (int i = 0; i < green.length && !step.toString().contains("resize"); i++) { // bilinear blurs edges
      if (expectedMask(width, height, x1, y1, x2, y2)[i] == 1) {
        assertEquals(0f, green[i], step + ": image pixel " + i + " is inside the object");
      }
    }
  }

  @Test
  void boxesAndMasksFollowFlipsCropsResizeAndPad() throws IOException {
    check(Transform.identity(), 8, 6, 2, 1, 5, 3);
    check(Images.horizontalFlip(1), 8, 6, 3, 1, 6, 3);
    check(Images.verticalFlip(1), 8, 6, 2, 3, 5, 5);
    check(Images.centerCrop(4, 4), 4, 4, 0, 0, 3, 2);
    check(Images.resize(16, 12), 16, 12, 4, 2, 10, 6);
    check(Images.pad(1), 10, 8, 3, 2, 6, 4);
    check(Images.centerCrop(4, 4).andThen(Images.horizontalFlip(1)), 4, 4, 1, 0, 4, 2); // the fused crop + flip
  }

  @Test
  void boxesAndMasksFollowRandomResizedCropFromTheSameDraw() throws IOException {
    // scale [0.5, 1] of an 8x6 image to 24x24: the window the step draws for sample 0 of epoch 0, seed 7
    RandomResizedCrop step = new RandomResizedCrop(24, 24, 0.5, 1, 0.75, 4 / 3.0, Interpolation.BILINEAR);
    SampleContext context = SampleContext.of(PREFIX + "0.png", 0, 0, Seeds.sampleRandom(7, 0, 0));
    Window w = step.window(8, 6, context);
    double sx = 24.0 / w.width();
    double sy = 24.0 / w.height();
    Batch b = one(step, Detection.padded("boxes", BOX_CLASSES, 2, 0), Segmentation.classIndices("mask-ref",
        MASK_CLASSES));
    double x1 = Math.max(0, (2 - w.x()) * sx);
    double y1 = Math.max(0, (1 - w.y()) * sy);
    double x2 = Math.min(24, (5 - w.x()) * sx);
    double y2 = Math.min(24, (3 - w.y()) * sy);
    assertArrayEquals(new float[] {0, (float) x1, (float) y1, (float) x2, (float) y2}, boxRow(b), "window " + w);
    float[] m = mask(b);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 24; x++) {
        int srcX = (int) Math.floor((x + 0.5) / sx) + w.x();
        int srcY = (int) Math.floor((y + 0.5) / sy) + w.y();
        float expected = srcX >= 2 && srcX < 5 && srcY >= 1 && srcY < 3 ? 1 : 0;
        assertEquals(expected, m[y * 24 + x], "mask at " + x + "," + y + " of window " + w);
      }
    }
  }

  @Test
  void toolsSeeTheBoxesAndMaskTheTargetsAreMadeFrom() throws IOException {
    Data d = data(line(0, BOX, 8, 6), null);
    Entry entry = new Entry(d.manifest(), 0, d.attributes());
    entry.companions(java.util.Map.of(PREFIX + "masks/0.png",
        new StoredObject(PREFIX + "masks/0.png", png(8, 6, 2, 1, 5, 3), null, null)));
    Image image = Images.decode(3).andThen(Images.pad(1)).andThen(Images.horizontalFlip(1))
        .apply(new StoredObject(PREFIX + "0.png", png(8, 6, 2, 1, 5, 3), null, null), SampleContext.of("x", 0));
    // padded to 10x8, the box [3, 6) x [2, 4); mirrored, [4, 7) x [2, 4)
    assertEquals(List.of(new Detection.LabelledBox(0, "thing", 4, 2, 7, 4)),
        Detection.boxes(entry, "boxes", image.geometry(), 0));
    Segmentation.ResampledMask mask = Segmentation.mask(entry, "mask-ref", image.geometry());
    assertEquals(List.of(new Segmentation.MaskClass(0, "BACKGROUND", WHITE), new Segmentation.MaskClass(1, "thing",
        RED)), List.copyOf(mask.classes().values()));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 10; x++) {
        int expected = x == 0 || x == 9 || y == 0 || y == 7 ? -1 : x >= 4 && x < 7 && y >= 2 && y < 4 ? 1 : 0;
        assertEquals(expected, mask.classIds()[y * 10 + x], "class at " + x + "," + y + " (-1: padding)");
      }
    }
  }

  @Test
  void aBoxMostlyCroppedOutIsDroppedBelowTheVisibleFraction() throws IOException {
    // centerCrop(2, 2) keeps [3, 5) x [2, 4): the box keeps [0, 2) x [0, 1), 2 of its 6 pixels
    Batch kept = one(Images.centerCrop(2, 2), Detection.padded("boxes", BOX_CLASSES, 1, 0.3));
    assertArrayEquals(new float[] {0, 0, 0, 2, 1}, boxRow(kept));
    Batch dropped = one(Images.centerCrop(2, 2), Detection.padded("boxes", BOX_CLASSES, 1, 0.5));
    assertArrayEquals(new float[] {-1, 0, 0, 0, 0}, boxRow(dropped));
  }

  @Test
  void yoloLayoutPutsTheBoxInTheCellOfItsCentre() throws IOException {
    // resize to 16x12, grid 4x3 (4 px cells): the box [4, 10) x [2, 6) has its centre (7, 4) in cell (1, 1)
    Batch b = one(Images.resize(16, 12), Detection.yolo("boxes", BOX_CLASSES, 4, 3, 0));
    assertArrayEquals(new long[] {1, 5, 3, 4}, b.labels().shape());
    float[] v = b.labels().data().asFloat();
    int plane = 12;
    int cell = 4 + 1;
    float[] expected = new float[5 * plane];
    expected[cell] = 1f;
    expected[plane + cell] = 0.5f;
    expected[2 * plane + cell] = 2.5f;
    expected[3 * plane + cell] = 1.5f;
    expected[4 * plane + cell] = 1f;
    assertArrayEquals(expected, v);
  }

  @Test
  void badAnnotationsNameTheEntry() throws IOException {
    assertBad(line(0, "{\"class_id\": 0, \"left\": 6, \"top\": 1, \"width\": 3, \"height\": 2}", 8, 6), true,
        "outside its 8x6 image");
    assertBad(line(0, "{\"class_id\": 0, \"left\": 2, \"top\": 1, \"width\": -3, \"height\": 2}", 8, 6), true,
        "size is not positive");
    assertBad(line(0, "{\"class_id\": 4, \"left\": 2, \"top\": 1, \"width\": 3, \"height\": 2}", 8, 6), true,
        "class_id 4");
    assertBad(line(0, BOX, 9, 6), true, "image_size 9x6");
    assertBad(line(0, BOX, 8, 6), false, "mask");
  }

  private static void assertBad(String line, boolean boxes, String expected) throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    store.put(PREFIX + "0.png", png(8, 6, 2, 1, 5, 3));
    if (boxes) {
      store.put(PREFIX + "masks/0.png", png(8, 6, 2, 1, 5, 3));
    }
    Data d = data(line, store);
    Target target = boxes ? Detection.padded("boxes", BOX_CLASSES, 2, 0)
        : Segmentation.classIndices("mask-ref", MASK_CLASSES);
    try (DataLoader loader = DataLoader.builder().manifest(d.manifest()).store(store).attributes(d.attributes())
        .transform(Images.decode(3).andThen(Images.imageToTensor(1f))).targets(target).batchSize(1).build();
        BatchIterator epoch = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, epoch::next);
      assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(PREFIX + "0.png"), e.getMessage());
      if (!boxes) {
        assertTrue(e.getMessage().contains(PREFIX + "masks/0.png"), "names the missing mask: " + e.getMessage());
      }
    }
  }

  @Test
  void aMaskOfAnotherSizeIsRefused() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    store.put(PREFIX + "0.png", png(8, 6, 2, 1, 5, 3));
    store.put(PREFIX + "masks/0.png", png(8, 5, 2, 1, 5, 3));
    Data d = data(line(0, BOX, 8, 6), store);
    try (DataLoader loader = DataLoader.builder().manifest(d.manifest()).store(store).attributes(d.attributes())
        .transform(Images.decode(3).andThen(Images.imageToTensor(1f)))
        .targets(Segmentation.oneHot("mask-ref", MASK_CLASSES)).batchSize(1).build();
        BatchIterator epoch = loader.epoch(0)) {
      SluiceException e = assertThrows(SluiceException.class, epoch::next);
      assertTrue(e.getMessage().contains("8x5 mask"), e.getMessage());
    }
  }

  @Test
  void oneAndFourWorkersGiveBitIdenticalTargets() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      int x = i % 5;
      int y = i % 3;
      store.put(PREFIX + i + ".png", png(12, 10, x, y, x + 4 + i % 3, y + 3));
      store.put(PREFIX + "masks/" + i + ".png", png(12, 10, x, y, x + 4 + i % 3, y + 3));
      lines.append(line(i, "{\"class_id\": 0, \"left\": " + x + ", \"top\": " + y + ", \"width\": " + (4 + i % 3)
          + ", \"height\": 3}", 12, 10));
    }
    Data d = data(lines.toString(), store);
    List<List<float[]>> runs = new ArrayList<>();
    for (int workers : new int[] {1, 4}) {
      List<float[]> out = new ArrayList<>();
      try (DataLoader loader = DataLoader.builder().manifest(d.manifest()).store(store).attributes(d.attributes())
          .transform(Images.decode(3).andThen(Images.randomResizedCrop(8, 8, 0.4, 1, 0.75, 4 / 3.0,
              Interpolation.BILINEAR)).andThen(Images.horizontalFlip(0.5)).andThen(Images.imageToTensor(1f)))
          .targets(Detection.yolo("boxes", BOX_CLASSES, 2, 2, 0.25), Detection.padded("boxes", BOX_CLASSES, 1, 0.25),
              Segmentation.oneHot("mask-ref", MASK_CLASSES))
          .batchSize(5).seed(11).workers(workers).build();
          BatchIterator epoch = loader.epoch(1)) {
        epoch.forEachRemaining(b -> {
          out.add(b.features().data().asFloat());
          b.outputs().forEach(o -> out.add(o.data().asFloat()));
        });
      }
      runs.add(out);
    }
    assertEquals(runs.get(0).size(), runs.get(1).size());
    for (int i = 0; i < runs.get(0).size(); i++) {
      assertArrayEquals(runs.get(0).get(i), runs.get(1).get(i), "tensor " + i);
    }
  }
}
