package io.sluice.transforms;

import static io.sluice.transforms.TestImages.CONTEXT;
import static io.sluice.transforms.TestImages.jpeg;
import static io.sluice.transforms.TestImages.photo;
import static io.sluice.transforms.TestImages.stored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.loader.Features;
import io.sluice.loader.Transform;
import io.sluice.loader.store.StoredObject;
import java.nio.FloatBuffer;
import org.datavec.api.transform.MathOp;
import org.datavec.api.transform.TransformProcess;
import org.datavec.api.transform.schema.Schema;
import org.junit.jupiter.api.Test;

/** The examples in this module's Javadoc, as printed there: each must compile and run. */
class SnippetsTest {

  /** {@link Images}: the training and evaluation chains. */
  @Test
  void imagesClassComment() {
    Transform<StoredObject, Features> train = Images.decode(3)
        .andThen(Images.randomResizedCrop(224))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));

    Transform<StoredObject, Features> eval = Images.decode(3)
        .andThen(Images.resizeShorterSide(256))
        .andThen(Images.centerCrop(224))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));

    StoredObject object = stored(jpeg(photo(1, 500, 375, 20), 0.9f, false));
    assertArrayEquals(new long[] {3, 224, 224}, train.apply(object, CONTEXT).shape());
    assertArrayEquals(new long[] {3, 224, 224}, eval.apply(object, CONTEXT).shape());
  }

  /** {@link DecodeTransform}: configured copies. */
  @Test
  void decodeTransformComment() {
    DecodeTransform decode = Images.decode(3).exifOrientation(true).maxPixels(50_000_000);
    assertEquals("decode(3 channels, at most 50000000 pixels, exif orientation)", decode.toString());
  }

  /** {@link Labels} class comment. */
  @Test
  void labelsClassComment() {
    assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, values(Labels.oneHot(10).apply(3, CONTEXT)));
    assertArrayEquals(new float[] {1, 0, 0, 0, 1}, values(Labels.multiHot(5).apply(new int[] {0, 4}, CONTEXT)));
    assertArrayEquals(new float[] {0.5f, -2}, values(Labels.values(2).apply(new float[] {0.5f, -2}, CONTEXT)));
  }

  /** {@link Records} class comment. */
  @Test
  void recordsClassComment() {
    Schema schema = new Schema.Builder()
        .addColumnsDouble("sepalLength", "sepalWidth", "petalLength", "petalWidth")
        .build();
    TransformProcess process = new TransformProcess.Builder(schema)
        .doubleMathOp("sepalLength", MathOp.Multiply, 0.1)
        .build();
    Transform<StoredObject, Features> rows = Records.csv(process);   // one record per object, [4] features

    Features features = rows.apply(stored("5.0,3.5,1.5,0.25".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        CONTEXT);
    assertArrayEquals(new float[] {0.5f, 3.5f, 1.5f, 0.25f}, values(features), 1e-6f);
  }

  private static float[] values(Features features) {
    FloatBuffer slot = FloatBuffer.allocate((int) features.shape()[0]);
    features.writeTo(slot);
    return slot.array();
  }
}
