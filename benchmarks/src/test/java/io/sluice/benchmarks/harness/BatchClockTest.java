package io.sluice.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A consumer sweep point measures at least the batches asked for, and says how many it measured. */
class BatchClockTest {

  @Test
  void theMeasurementLastsUntilEnoughBatchesArrivedAfterTheWarmUp() {
    // no warm-up time and no measured time: only the batch count keeps the clock going
    Trial.BatchClock clock = new Trial.BatchClock(0, 0, 0, 3, -1);
    assertFalse(clock.done(), "no batch yet");
    clock.delivered(System.nanoTime(), 64, null); // the first batch starts the measured span: it is not measured
    clock.delivered(System.nanoTime(), 64, null);
    clock.delivered(System.nanoTime(), 64, null);
    assertFalse(clock.done(), "two of three batches");
    clock.delivered(System.nanoTime(), 64, null);
    assertTrue(clock.done());
    Map<String, Object> result = new LinkedHashMap<>();
    clock.report(result);
    assertEquals(4, result.get("batches"));
    assertEquals(3, result.get("measuredBatches"));
  }

  @Test
  void batchesOfTheWarmUpDoNotCount() {
    Trial.BatchClock clock = new Trial.BatchClock(0, 60_000_000_000L, 0, 1, -1);
    for (int i = 0; i < 5; i++) {
      clock.delivered(System.nanoTime(), 64, null);
    }
    assertFalse(clock.done(), "still in the minute of warm-up, however many batches came");
  }

  @Test
  void withoutAMinimumTheMeasuredTimeAloneEndsIt() {
    Trial.BatchClock clock = new Trial.BatchClock(0, 0, 0, 0, -1);
    assertTrue(clock.done());
  }
}
