package io.sluice.loader.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads whole epochs of a {@link SyntheticDataset} and checks what arrived. */
public final class EpochChecks {
  private EpochChecks() {}

  /** One delivered sample: its id (from the features), label, and random draw. */
  public record Delivered(int batch, int id, int label, int draw) {}

  /** Reads epoch {@code epoch} whole, checking every row's features, label and index agree. */
  public static List<Delivered> readEpoch(DataLoader loader, int epoch) {
    Manifest manifest = loader.manifest();
    List<Delivered> out = new ArrayList<>();
    try (BatchIterator it = loader.epoch(epoch)) {
      int expectedBatches = it.batches();
      int n = 0;
      while (it.hasNext()) {
        Batch b = it.next();
        assertEquals(n, b.number());
        assertEquals(epoch, b.epoch());
        int rows = b.size();
        assertEquals(rows, b.features().size(0));
        INDArray labels = b.labels();
        for (int r = 0; r < rows; r++) {
          int id = (int) b.features().getFloat(r, 0);
          int label = labels.getRow(r).argMax().getInt(0);
          assertEquals(1f, labels.getRow(r).sumNumber().floatValue(), "one-hot row " + r);
          assertEquals(b.indices()[r], id, "row " + r + " of batch " + n + " holds the sample its index says");
          assertEquals(manifest.label(id), label, "label of sample " + id);
          out.add(new Delivered(n, id, label, (int) b.features().getFloat(r, 1)));
        }
        n++;
      }
      assertEquals(expectedBatches, n);
    }
    return out;
  }

  public static List<Integer> ids(List<Delivered> delivered) {
    List<Integer> ids = new ArrayList<>();
    for (Delivered d : delivered) {
      ids.add(d.id());
    }
    return ids;
  }
}
