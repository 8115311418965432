package io.sluice.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.testing.SyntheticDataset;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A consumer blocked waiting for data returns when its thread is interrupted: it throws, keeps the interrupt flag,
 * and the loader stays usable and closable. The store here answers nothing until the test opens its gate.
 */
class InterruptTest {
  private static final SyntheticDataset DATA = new SyntheticDataset("mem://b/", 40, 2);
  private final GatedStore store = new GatedStore(storeOf());
  private final ExecutorService trainer = Executors.newSingleThreadExecutor();

  private static InMemoryObjectStore storeOf() {
    InMemoryObjectStore s = new InMemoryObjectStore();
    DATA.objects().forEach(s::put);
    return s;
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    store.open();
    trainer.shutdownNow();
    assertTrue(trainer.awaitTermination(10, TimeUnit.SECONDS), "the trainer thread ended");
  }

  private DataLoader loader() {
    return DataLoader.builder().manifest(DATA.manifest()).store(store).transform(SyntheticDataset.identify())
        .batchSize(8).seed(1).build();
  }

  /** Runs {@code wait} on the trainer thread, interrupts it once it is parked, and returns what it threw. */
  private Throwable interrupted(Supplier<?> wait) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Future<Throwable> f = trainer.submit(() -> {
      started.countDown();
      try {
        wait.get();
        return null;
      } catch (Throwable t) {
        return t;
      } finally {
        flag.set(Thread.interrupted()); // read and clear, so the next task starts clean
      }
    });
    started.await();
    Thread waiting = awaitParkedTrainer();
    waiting.interrupt();
    Throwable thrown = f.get(30, TimeUnit.SECONDS);
    assertEquals(Boolean.TRUE, flag.get(), "the interrupt flag is kept");
    return thrown;
  }

  private final List<Thread> trainerThreads = new CopyOnWriteArrayList<>();

  /** The trainer's thread once it is waiting (parked); bounded by a generous deadline, not asserted on time. */
  private Thread awaitParkedTrainer() throws InterruptedException {
    Thread t = null;
    for (int i = 0; i < 3000 && t == null; i++) {
      for (Thread candidate : Thread.getAllStackTraces().keySet()) {
        if (candidate.getName().startsWith("pool-") && (candidate.getState() == Thread.State.WAITING
            || candidate.getState() == Thread.State.TIMED_WAITING) && parkedInSluice(candidate)) {
          t = candidate;
        }
      }
      if (t == null) {
        Thread.sleep(10);
      }
    }
    if (t == null) {
      throw new AssertionError("the trainer never waited for data");
    }
    return t;
  }

  private static boolean parkedInSluice(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().startsWith("io.sluice.loader.internal.HandOver")) {
        return true;
      }
    }
    return false;
  }

  private static void assertInterruptedError(Throwable thrown) {
    assertInstanceOf(SluiceException.class, thrown, String.valueOf(thrown));
    assertInstanceOf(InterruptedException.class, thrown.getCause());
    assertTrue(thrown.getMessage().contains("interrupted while waiting"), thrown.getMessage());
  }

  @Test
  void nextReturnsOnInterruptAndTheEpochGoesOnAfterwards() throws Exception {
    try (DataLoader loader = loader(); BatchIterator it = loader.epoch(0)) {
      assertInterruptedError(interrupted(it::next));
      assertTrue(it.hasNext(), "hasNext answers without waiting");
      store.open();
      int batches = 0;
      while (it.hasNext()) {
        it.next();
        batches++;
      }
      assertEquals(5, batches, "no batch lost to the interrupt");
    }
  }

  @Test
  void theDl4jIteratorsNextAndInputColumnsReturnOnInterrupt() throws Exception {
    try (DataLoader loader = loader()) {
      DataSetIterator it = loader.asDataSetIterator();
      assertInterruptedError(interrupted(it::inputColumns));
      assertInterruptedError(interrupted(it::next));
      store.open();
      assertEquals(2, it.inputColumns());
      assertEquals(8, it.next().numExamples(), "the first batch, after two interrupted waits");
    }
  }

  @Test
  void cancellingATrainingTaskStopsItPromptlyAndTheLoaderCloses() throws Exception {
    DataLoader loader = loader();
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Future<?> training = trainer.submit(() -> {
      try {
        net.fit(loader.asDataSetIterator(), 3);
      } catch (Throwable t) {
        failure.set(t);
      } finally {
        Thread.interrupted();
        ended.countDown();
      }
    });
    awaitParkedTrainer();
    training.cancel(true);
    assertThrows(CancellationException.class, training::get);
    assertTrue(ended.await(30, TimeUnit.SECONDS), "fit returned after cancel(true)");
    Throwable cause = failure.get();
    while (cause != null && !(cause instanceof SluiceException)) {
      cause = cause.getCause();
    }
    assertInstanceOf(SluiceException.class, cause, "fit ended by the loader's interrupt: " + failure.get());
    loader.close();
    assertThrows(IllegalStateException.class, () -> loader.epoch(0), "closed");
  }

  /** Holds every GET until {@link #open()}; then answers them all. */
  static final class GatedStore implements ObjectStore {
    private final ObjectStore delegate;
    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    GatedStore(ObjectStore delegate) {
      this.delegate = delegate;
    }

    void open() {
      gate.complete(null);
    }

    @Override
    public CompletableFuture<StoredObject> get(ObjectRef ref) {
      return gate.thenCompose(unused -> delegate.get(ref));
    }

    @Override
    public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
      return delegate.list(prefixUri);
    }
  }
}
