package io.sluice.benchmarks.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.DataLoader;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.SampleContext;
import io.sluice.loader.Transform;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.InMemoryObjectStore;
import io.sluice.loader.store.ObjectStore;
import io.sluice.loader.store.StoredObject;
import io.sluice.s3.S3ObjectStore;
import io.sluice.transforms.Images;
import io.sluice.transforms.JpegAccelerator;
import io.sluice.transforms.JpegDecoder;
import io.sluice.transforms.LinearResizer;
import io.sluice.benchmarks.transforms.LibjpegTurboCeiling;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.FileSplit;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.ColorConversionTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.datavec.image.transform.PipelineImageTransform;
import org.datavec.image.transform.RandomCropTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.indexing.NDArrayIndex;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * One measurement of one configuration, run by {@link Compare} in a JVM of its own so that peak heap, RSS and GC
 * time belong to that configuration alone. Prints one line {@code RESULT {json}} and exits.
 *
 * <p>Configurations ({@code --config}):
 *
 * <ul>
 *   <li>{@code sluice} with {@code --store s3|local|memory}: a {@link DataLoader} with the W1 chain, batch 64, read
 *       through {@code asDataSetIterator()} as DL4J's {@code fit(iterator, epochs)} reads it ({@code reset()} between
 *       epochs); with {@code --store s3}, {@code --http-client crt|netty} picks the store's HTTP client (default
 *       crt, the store's own default) and {@code --get-path direct|sdk} how it sends GETs (default direct, the
 *       store's default); {@code --prefetch N} the loader's {@code prefetchBatches} (default 3).
 *   <li>{@code dl4j}: DataVec {@code ImageRecordReader} + {@code NativeImageLoader} + {@code RecordReaderDataSetIterator}
 *       in an {@code AsyncDataSetIterator}, from local files.
 *   <li>{@code naive}: one S3 GET at a time with the SDK's async client ({@code join()}), then the same chain.
 *   <li>{@code raw-get}: GETs only, {@code --in-flight N} at once, for {@code --seconds}.
 *   <li>{@code decode}: the chain alone on bytes in memory, {@code --threads N}, {@code --decoder imageio|opencv}.
 *   <li>{@code c-ceiling}: the same work in C against libjpeg-turbo ({@link LibjpegTurboCeiling}), {@code --threads N}.
 * </ul>
 *
 * <p>{@code sluice} with {@code --prefix-cache true} uses the chain decode -> resizeShorterSide(256) ->
 * RandomResizedCrop 224 -> flip -> normalise with a prefix cache in memory, reads epoch 0 (filling the cache) before
 * its clock starts, and measures epochs 1, 2, ...: no GET and no decode.
 *
 * <p>Every loader trial reports the CPU its JVM spent per image delivered while it measured ({@code
 * cpuMsPerImage}, core-ms), the same split by thread ({@code cpuMsPerImageByThread}) and, given {@code
 * --server-pid}, the S3 server's ({@code serverCpuMsPerImage}).
 */
public final class Trial {
  static final int BATCH = 64;
  static final int SIZE = 224;
  static final long SEED = 42;

  private final Map<String, String> args;
  private final Map<String, Object> result = new LinkedHashMap<>();

  private Trial(Map<String, String> args) {
    this.args = args;
  }

  /** Runs one trial; arguments are {@code --name value} pairs. */
  public static void main(String[] argv) throws Exception {
    QuietLogging.apply();
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    Trial trial = new Trial(args);
    trial.run();
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(trial.result));
    System.out.flush();
    System.exit(0);
  }

  /** The chain of the prefix-cache configuration: a deterministic prefix kept at shorter side 256, then W1's rest. */
  static Transform<StoredObject, Features> prefixChain() {
    return Images.decode(3)
        .andThen(Images.resizeShorterSide(256))
        .andThen(Images.randomResizedCrop(SIZE))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
  }

  /** The W1 chain every configuration that runs Sluice's transforms uses. */
  static Transform<StoredObject, Features> chain(JpegDecoder decoder) {
    return Images.decode(3).jpegDecoder(decoder)
        .andThen(Images.randomResizedCrop(SIZE))
        .andThen(Images.horizontalFlip(0.5))
        .andThen(Images.normalizeToTensor(Images.imageNetMean(), Images.imageNetStd()));
  }

  private String arg(String name, String fallback) {
    return args.getOrDefault(name, fallback);
  }

  private int intArg(String name, int fallback) {
    return Integer.parseInt(arg(name, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    String config = arg("config", "sluice");
    result.put("config", config);
    if ("java".equals(arg("resize", "auto"))) { // before anything resizes: the choice is made once per JVM
      System.setProperty("sluice.resize", "java");
    }
    if ("imageio".equals(arg("jpeg", "auto"))) { // likewise for the JPEG accelerator
      System.setProperty("sluice.jpeg", "imageio");
    }
    LinearResizer resizer = LinearResizer.installed();
    result.put("resizer", resizer == null ? "Java" : resizer.getClass().getSimpleName());
    JpegAccelerator accelerator = JpegAccelerator.installed();
    result.put("jpegAccelerator", accelerator == null ? "none" : accelerator.getClass().getSimpleName());
    switch (config) {
      case "sluice" -> sluice();
      case "dl4j" -> dl4j();
      case "naive" -> naive();
      case "raw-get" -> rawGet();
      case "decode" -> decodeCeiling();
      case "c-ceiling" -> cCeiling();
      default -> throw new IllegalArgumentException("unknown --config " + config);
    }
    processFigures();
  }

  // -------------------------------------------------------------------------------------------- Sluice

  private void sluice() throws IOException {
    Path root = Path.of(arg("root", "."));
    String bucket = arg("bucket", "bench-w1");
    int images = intArg("images", 2000);
    String storeName = arg("store", "memory");
    Manifest.Builder builder = Manifest.builder("s3://" + bucket + "/");
    for (int n = 0; n < images; n++) {
      builder.add(Datasets.key(n), Datasets.className(n), Files.size(root.resolve(bucket).resolve(Datasets.key(n))),
          null, null);
    }
    Manifest manifest = builder.build();
    ObjectStore store = switch (storeName) {
      case "s3" -> S3ObjectStore.builder().endpoint(URI.create(arg("endpoint", ""))).region(arg("region", "us-east-1"))
          .credentials(arg("access-key", ""), arg("secret-key", "")).pathStyle(true)
          .httpClient(S3ObjectStore.HttpClient.valueOf(arg("http-client", "crt").toUpperCase(java.util.Locale.ROOT)))
          .getPath(S3ObjectStore.GetPath.valueOf(arg("get-path", "direct").toUpperCase(java.util.Locale.ROOT)))
          .build();
      case "local" -> ObjectStore.localFiles(root);
      case "memory", "memory-async" -> {
        InMemoryObjectStore memory = new InMemoryObjectStore();
        List<byte[]> bytes = Datasets.read(root, bucket, images);
        for (int n = 0; n < images; n++) {
          memory.put(manifest.uri(n), bytes.get(n));
        }
        yield storeName.equals("memory") ? memory : new AsyncCompletion(memory);
      }
      default -> throw new IllegalArgumentException("unknown --store " + storeName);
    };
    boolean prefixCache = Boolean.parseBoolean(arg("prefix-cache", "false"));
    Transform<StoredObject, Features> chain = prefixCache ? prefixChain() : chain(JpegDecoder.defaultDecoder());
    result.put("chain", chain.toString());
    DataLoader.Builder loaderBuilder = DataLoader.builder().manifest(manifest).store(store).transform(chain)
        .batchSize(BATCH).seed(SEED);
    if (args.containsKey("prefetch")) {
      loaderBuilder.prefetchBatches(intArg("prefetch", 3));
    }
    if (prefixCache) {
      loaderBuilder.prefixCache(ObjectCache.memory(8L << 30));
    }
    try (store; DataLoader loader = loaderBuilder.build()) {
      int firstEpoch = 0;
      if (prefixCache) { // epoch 0 fills the cache; the clock starts with epoch 1
        try (BatchIterator batches = loader.epoch(0)) {
          while (batches.hasNext()) {
            batches.next();
          }
        }
        firstEpoch = 1;
      }
      BatchClock clock = clock();
      LoaderStats[] atWarmup = {null};
      ThreadCpu[] threadsAtWarmup = {null};
      long[] measuredImages = {0};
      java.util.function.IntConsumer counted = size -> {
        if (atWarmup[0] == null && clock.measuring()) {
          atWarmup[0] = loader.stats();
          threadsAtWarmup[0] = ThreadCpu.now();
        } else if (atWarmup[0] != null) {
          measuredImages[0] += size;
        }
      };
      if (!prefixCache) { // as DL4J's fit(iterator, epochs) reads it: reset() between epochs
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator iterator = loader.asDataSetIterator();
        try (BatchLog log = BatchLog.open(System.getProperty(BatchLog.PROPERTY, ""))) {
          while (!clock.done()) {
            long start = System.nanoTime();
            boolean newEpoch = !iterator.hasNext();
            if (newEpoch) {
              iterator.reset();
            }
            DataSet batch = iterator.next();
            log.batch(System.nanoTime() - start, newEpoch, loader::stats);
            clock.delivered(start, batch.numExamples(), batch.getFeatures());
            counted.accept(batch.numExamples());
          }
        }
      }
      for (int epoch = firstEpoch; prefixCache && !clock.done(); epoch++) {
        try (BatchIterator batches = loader.epoch(epoch)) {
          while (!clock.done()) {
            long start = System.nanoTime();
            if (!batches.hasNext()) {
              break;
            }
            Batch batch = batches.next();
            clock.delivered(start, batch.size(), batch.features());
            counted.accept(batch.size());
          }
        }
      }
      if (threadsAtWarmup[0] != null && measuredImages[0] > 0) {
        result.put("cpuMsPerImageByThread", ThreadCpu.now().since(threadsAtWarmup[0], measuredImages[0]));
      }
      LoaderStats all = loader.stats();
      result.put("loaderStats", all.toString());
      result.put("gets", all.gets());
      result.put("batchBuffersMapped", all.batchBuffersMapped());
      result.put("batchBuffersReused", all.batchBuffersReused());
      result.put("prefixHits", all.prefixHits());
      result.put("prefixMisses", all.prefixMisses());
      if (atWarmup[0] != null) {
        LoaderStats measured = all.since(atWarmup[0]);
        result.put("loaderStatsMeasured", measured.toString());
        result.put("getsMeasured", measured.gets());
      }
      clock.report(result);
    }
  }

  /**
   * CPU time of this JVM's threads, summed by what they do (named by their thread names), and of the JVM itself
   * (garbage collection, JIT compilation: the process's CPU that no Java thread accounts for).
   */
  record ThreadCpu(Map<String, Long> nanosByGroup, long processNanos, Map<String, Long> vmTicks) {
    static ThreadCpu now() {
      java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<String, Long> byGroup = new LinkedHashMap<>();
      for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          String group = group(info.getThreadName());
          byGroup.merge(group, cpu, Long::sum);
          long user = threads.getThreadUserTime(info.getThreadId());
          if (user >= 0 && user <= cpu) { // the kernel's part: system calls, page faults
            byGroup.merge("  kernel time of " + group, cpu - user, Long::sum);
          }
        }
      }
      return new ThreadCpu(byGroup, processCpuNanos(), vmThreadTicks());
    }

    /** CPU ticks of the JVM's own threads (/proc/self/task), by kind: GC, JIT compilers, the rest. */
    private static Map<String, Long> vmThreadTicks() {
      Map<String, Long> ticks = new LinkedHashMap<>();
      try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          String stat;
          try {
            stat = Files.readString(task.resolve("stat"));
          } catch (IOException e) {
            continue; // the thread ended
          }
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT compiler threads"
              : name.startsWith("GC Thread") || name.startsWith("G1 ") ? "GC threads"
              : name.equals("VM Thread") ? "VM thread (safepoints)" : null;
          if (kind != null) {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks.merge(kind, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux: no split
      }
      return ticks;
    }

    private static String group(String name) {
      if (name.matches("sluice-\\d+-worker-\\d+")) {
        return "loader workers (transform)";
      }
      if (name.matches("sluice-\\d+-timer")) {
        return "loader timer (issuing, retries)";
      }
      if (name.startsWith("aws-java-sdk-NettyEventLoop")) {
        return "Netty event loops";
      }
      if (name.startsWith("sdk-async-response")) {
        return "SDK completion threads";
      }
      if (name.startsWith("AwsEventLoop") || name.toLowerCase(java.util.Locale.ROOT).contains("crt")) {
        return "CRT event loops";
      }
      if (name.equals("main")) {
        return "consumer (main)";
      }
      return "other Java threads";
    }

    /** Core-ms per image for each group since {@code before}, and for the JVM's own threads (GC, JIT). */
    Map<String, Double> since(ThreadCpu before, long images) {
      Map<String, Double> out = new LinkedHashMap<>();
      long javaThreads = 0;
      for (Map.Entry<String, Long> e : nanosByGroup.entrySet()) {
        long delta = e.getValue() - before.nanosByGroup.getOrDefault(e.getKey(), 0L);
        if (!e.getKey().startsWith("  kernel time of ")) {
          javaThreads += delta;
        }
        out.put(e.getKey(), Math.round(delta / 1e3 / images) / 1e3);
      }
      out.put("JVM: GC, JIT (process minus Java threads)",
          Math.round((processNanos - before.processNanos - javaThreads) / 1e3 / images) / 1e3);
      for (Map.Entry<String, Long> e : vmTicks.entrySet()) { // the same, split by the JVM threads' names (Linux)
        long delta = e.getValue() - before.vmTicks.getOrDefault(e.getKey(), 0L);
        out.put("  of which " + e.getKey(), Math.round(delta * 1e6 / Machine.CLOCK_TICKS / images) / 1e3);
      }
      return out;
    }
  }

  // ------------------------------------------------------------------------------------------ C ceiling

  /** The libjpeg-turbo C program doing W1's work on {@code --threads} threads: CPU-bound, so each thread is a core. */
  private void cCeiling() throws IOException {
    Path root = Path.of(arg("root", "."));
    String bucket = arg("bucket", "bench-w1");
    int images = intArg("images", 2000);
    int threads = intArg("threads", 2);
    double seconds = Double.parseDouble(arg("seconds", "15"));
    LibjpegTurboCeiling ceiling = LibjpegTurboCeiling.compile(Files.createTempDirectory("w1-ceiling"),
        Datasets.read(root, bucket, images));
    ceiling.run(threads, Math.min(images, 500)); // warm the page cache and the CPU's caches
    double probe = ceiling.run(threads, images);
    long count = Math.max(images, (long) (probe * seconds)); // about --seconds of work
    double imgPerSec = ceiling.run(threads, count);
    result.put("imgPerSec", imgPerSec);
    result.put("images", count);
    result.put("threads", threads);
    result.put("cpuMsPerImage", threads * 1000.0 / imgPerSec);
  }

  /**
   * A diagnostic: the in-memory store with its futures completed on a thread of its own, as a network client's
   * are, instead of already completed when {@code get} returns.
   */
  static final class AsyncCompletion implements ObjectStore {
    private final ObjectStore delegate;
    private final java.util.concurrent.ExecutorService completions =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "store-completions");
          t.setDaemon(true);
          return t;
        });

    AsyncCompletion(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<StoredObject> get(io.sluice.loader.store.ObjectRef ref) {
      return delegate.get(ref).thenApplyAsync(object -> object, completions);
    }

    @Override
    public CompletableFuture<List<io.sluice.loader.store.ObjectInfo>> list(String prefixUri) {
      return delegate.list(prefixUri);
    }

    @Override
    public void close() {
      completions.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------- DL4J

  /** Scales 0..255 to 0..1, then subtracts the ImageNet mean and divides by its standard deviation, per channel. */
  static final class ImageNetPreProcessor implements DataSetPreProcessor {
    private static final float[] MEAN = Images.imageNetMean();
    private static final float[] STD = Images.imageNetStd();

    @Override
    public void preProcess(org.nd4j.linalg.dataset.api.DataSet dataSet) {
      INDArray features = dataSet.getFeatures();
      features.divi(255);
      for (int c = 0; c < 3; c++) {
        features.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
            .subi(MEAN[c]).divi(STD[c]);
      }
    }
  }

  /** What the stock DL4J baseline does instead of RandomResizedCrop(224) and flip(0.5); said in the results. */
  static final String DL4J_PIPELINE = "ImageRecordReader(224,224,3, ParentPathLabelGenerator) with NativeImageLoader "
      + "(OpenCV 4.5.5 imread); PipelineImageTransform: RandomCropTransform 300x300 (fixed size and aspect, "
      + "p=1), FlipImageTransform(horizontal, p=0.5), ColorConversionTransform BGR->RGB; then resized to 224x224 "
      + "by NativeImageLoader; RecordReaderDataSetIterator(batch 64, 10 classes) with a preprocessor that scales "
      + "to [0,1] and normalises with the ImageNet mean/std per channel; AsyncDataSetIterator(queue 3)";

  private void dl4j() throws IOException {
    Path root = Path.of(arg("root", "."));
    String bucket = arg("bucket", "bench-w1");
    result.put("chain", DL4J_PIPELINE);
    BatchClock clock = clock();
    ImageTransform transform = new PipelineImageTransform(SEED, List.of(
        new Pair<>(new RandomCropTransform(SEED, 300, 300), 1.0),
        new Pair<>(new FlipImageTransform(1), 0.5),
        new Pair<>(new ColorConversionTransform(new Random(SEED), org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB),
            1.0)), false);
    ImageRecordReader reader = new ImageRecordReader(SIZE, SIZE, 3, new ParentPathLabelGenerator(), transform);
    reader.initialize(new FileSplit(root.resolve(bucket).toFile(), new String[] {"jpg"}, new Random(SEED)));
    RecordReaderDataSetIterator base = new RecordReaderDataSetIterator(reader, BATCH, 1, Datasets.CLASSES);
    base.setPreProcessor(new ImageNetPreProcessor());
    AsyncDataSetIterator iterator = new AsyncDataSetIterator(base, 3);
    try {
      for (int epoch = 0; !clock.done(); epoch++) {
        if (epoch > 0) {
          iterator.reset();
        }
        while (!clock.done()) {
          long start = System.nanoTime();
          if (!iterator.hasNext()) {
            break;
          }
          DataSet batch = iterator.next();
          clock.delivered(start, batch.numExamples(), batch.getFeatures());
        }
      }
    } finally {
      iterator.shutdown();
    }
    clock.report(result);
  }

  // --------------------------------------------------------------------------------------- naive / raw

  private S3AsyncClient client(int maxConcurrency) {
    return S3AsyncClient.builder()
        .endpointOverride(URI.create(arg("endpoint", "")))
        .region(Region.of(arg("region", "us-east-1")))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(arg("access-key", ""), arg("secret-key", ""))))
        .forcePathStyle(true)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(maxConcurrency)
            .connectionAcquisitionTimeout(Duration.ofSeconds(60)))
        .build();
  }

  private void naive() {
    String bucket = arg("bucket", "bench-w1");
    int images = intArg("images", 200);
    Transform<StoredObject, Features> chain = chain(JpegDecoder.defaultDecoder());
    result.put("chain", "sequential GetObject (S3AsyncClient ... join()), then " + chain);
    // a fixed number of images; the first batch is warm-up
    BatchClock clock = new BatchClock(0, 0, Long.MAX_VALUE, 0, -1);
    FloatBuffer batch = ByteBuffer.allocateDirect(BATCH * 3 * SIZE * SIZE * 4).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    try (S3AsyncClient s3 = client(4)) {
      long start = System.nanoTime();
      int inBatch = 0;
      for (int n = 0; n < images; n++) {
        String key = Datasets.key(n);
        byte[] bytes = s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()).join()
            .asByteArrayUnsafe();
        String uri = "s3://" + bucket + "/" + key;
        Features features = chain.apply(new StoredObject(uri, bytes, null, null),
            SampleContext.of(uri, n, 0, new SplittableRandom(SEED * 31 + n)));
        features.writeTo(batch.position(inBatch * 3 * SIZE * SIZE).slice());
        if (++inBatch == BATCH || n == images - 1) {
          clock.delivered(start, inBatch, null);
          inBatch = 0;
          start = System.nanoTime();
        }
      }
    }
    clock.report(result);
  }

  private void rawGet() throws InterruptedException {
    String bucket = arg("bucket", "bench-w1");
    int images = intArg("images", 2000);
    int inFlight = intArg("in-flight", 8);
    double seconds = Double.parseDouble(arg("seconds", "15"));
    double warmup = Double.parseDouble(arg("warmup-seconds", "15"));
    result.put("chain", "GetObject only, " + inFlight + " in flight, bytes discarded");
    result.put("inFlight", inFlight);
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong done = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicBoolean failed = new AtomicBoolean();
    long[] latencies = new long[1 << 20];
    AtomicLong latencyCount = new AtomicLong();
    try (S3AsyncClient s3 = client(Math.max(inFlight, 8))) {
      long begin = System.nanoTime();
      long measureFrom = begin + (long) (warmup * 1e9);
      long end = measureFrom + (long) (seconds * 1e9);
      long countAtStart = -1;
      long firstBatchNanos = -1;
      for (int n = 0; System.nanoTime() < end && !failed.get(); n++) {
        slots.acquire();
        long now = System.nanoTime();
        if (countAtStart < 0 && now >= measureFrom) {
          countAtStart = done.get();
        }
        String key = Datasets.key(n % images);
        long sent = System.nanoTime();
        CompletableFuture<?> get = s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes());
        get.whenComplete((response, error) -> {
          if (error != null) {
            failed.set(true);
            error.printStackTrace();
          } else {
            long took = System.nanoTime() - sent;
            long i = latencyCount.getAndIncrement();
            if (i < latencies.length) {
              latencies[(int) i] = took;
            }
            bytes.addAndGet(((software.amazon.awssdk.core.ResponseBytes<?>) response).asByteArrayUnsafe().length);
            done.incrementAndGet();
          }
          slots.release();
        });
        if (firstBatchNanos < 0 && done.get() >= BATCH) {
          firstBatchNanos = System.nanoTime() - begin;
        }
      }
      long measured = done.get() - Math.max(0, countAtStart);
      long elapsed = System.nanoTime() - measureFrom;
      slots.acquire(inFlight);
      if (failed.get()) {
        throw new IllegalStateException("a GET failed");
      }
      result.put("imgPerSec", measured * 1e9 / elapsed);
      result.put("timeToFirstBatchMs", firstBatchNanos < 0 ? null : firstBatchNanos / 1e6);
      long[] sorted = Arrays.copyOf(latencies, (int) Math.min(latencies.length, latencyCount.get()));
      Arrays.sort(sorted);
      result.put("getP50Ms", percentile(sorted, 0.5) / 1e6);
      result.put("getP99Ms", percentile(sorted, 0.99) / 1e6);
      result.put("images", measured);
      result.put("mbPerSec", bytes.get() / 1e6 / ((System.nanoTime() - begin) / 1e9));
    }
  }

  // ------------------------------------------------------------------------------------------- decode

  private void decodeCeiling() throws InterruptedException {
    Path root = Path.of(arg("root", "."));
    String bucket = arg("bucket", "bench-w1");
    int images = intArg("images", 2000);
    int threads = intArg("threads", 2);
    double seconds = Double.parseDouble(arg("seconds", "15"));
    double warmup = Double.parseDouble(arg("warmup-seconds", "15"));
    JpegDecoder decoder = JpegDecoder.valueOf(arg("decoder", "IMAGE_IO"));
    Transform<StoredObject, Features> chain = chain(decoder);
    result.put("chain", chain + " on " + threads + " thread(s), bytes in memory, no loader");
    result.put("threads", threads);
    result.put("decoder", decoder.toString());
    List<byte[]> jpegs = Datasets.read(root, bucket, Math.min(images, 512));
    StoredObject[] objects = new StoredObject[jpegs.size()];
    for (int i = 0; i < objects.length; i++) {
      objects[i] = new StoredObject("mem://" + bucket + "/" + i + ".jpg", jpegs.get(i), null, null);
    }
    AtomicLong done = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      Thread worker = new Thread(() -> {
        FloatBuffer batch = ByteBuffer.allocateDirect(BATCH * 3 * SIZE * SIZE * 4).order(ByteOrder.nativeOrder())
            .asFloatBuffer();
        for (int n = offset; !stop.get(); n += threads) {
          StoredObject object = objects[n % objects.length];
          Features features = chain.apply(object, SampleContext.of(object.uri(), n, 0, new SplittableRandom(SEED + n)));
          features.writeTo(batch.position((n / threads % BATCH) * 3 * SIZE * SIZE).slice());
          done.incrementAndGet();
        }
      }, "decode-" + t);
      workers.add(worker);
      worker.start();
    }
    Thread.sleep((long) (warmup * 1000));
    long from = done.get();
    long start = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    long count = done.get() - from;
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    result.put("imgPerSec", count * 1e9 / elapsed);
    result.put("images", count);
  }

  // ------------------------------------------------------------------------------------------- figures

  static long percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.max(1, Math.ceil(fraction * sorted.length));
    return sorted[Math.min(sorted.length, rank) - 1];
  }

  /** Peak heap (sum of the heap pools' peaks), peak RSS (VmHWM), GC time: figures of this whole process. */
  private void processFigures() {
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    long gcMillis = 0;
    long gcCount = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
      gcCount += Math.max(0, gc.getCollectionCount());
    }
    result.put("peakHeapMb", peakHeap / 1e6);
    result.put("rssMb", vmHwmKb() / 1e3);
    result.put("gcMs", gcMillis);
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      result.put("cpuSeconds", os.getProcessCpuTime() / 1e9);
    }
    result.put("gcCount", gcCount);
  }

  private static long vmHwmKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return -1;
  }

  /**
   * The clock of a loader trial: {@code --warmup-seconds} (default 15), then {@code --seconds} measured (15) and at
   * least {@code --min-batches} batches (0).
   */
  private BatchClock clock() {
    return new BatchClock(intArg("consumer-ms", 0), (long) (Double.parseDouble(arg("warmup-seconds", "15")) * 1e9),
        (long) (Double.parseDouble(arg("seconds", "15")) * 1e9), intArg("min-batches", 0),
        Long.parseLong(arg("server-pid", "-1")));
  }

  /** CPU time this JVM has used, in nanoseconds, or -1. */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  /**
   * {@code -Dsluice.trial.batchLog=FILE} (a {@code %p} in it becomes the pid; Compare passes it with {@code
   * --child-jvm-args}): one line per batch for finding where slow batches come from, with the JVM's uptime so
   * that it lines up with a GC log ({@code -Xlog:gc*:file=...:uptimemillis}) or a JFR recording: uptime ms at
   * arrival, ms waited, whether it began an epoch, the loader's counters then (batch blocks mapped and reused, GETs),
   * the slowest GET since the batch before (ms, to its latency bucket), objects in flight and the concurrency limit.
   */
  static final class BatchLog implements AutoCloseable {
    static final String PROPERTY = "sluice.trial.batchLog";
    private final java.io.PrintWriter out;
    private LoaderStats previous;

    private BatchLog(java.io.PrintWriter out) {
      this.out = out;
    }

    static BatchLog open(String file) throws IOException {
      if (file.isEmpty()) {
        return new BatchLog(null);
      }
      Path path = Path.of(file.replace("%p", Long.toString(ProcessHandle.current().pid())));
      java.io.PrintWriter out = new java.io.PrintWriter(Files.newBufferedWriter(path));
      out.println("uptimeMs waitMs newEpoch mapped reused gets slowestGetMs inFlight limit");
      return new BatchLog(out);
    }

    void batch(long waitedNanos, boolean newEpoch, java.util.function.Supplier<LoaderStats> loaderStats) {
      if (out != null) {
        LoaderStats stats = loaderStats.get();
        io.sluice.loader.Latency gets = previous == null ? stats.getLatency() : stats.getLatency()
            .since(previous.getLatency());
        out.printf(java.util.Locale.ROOT, "%d %.1f %b %d %d %d %.1f %d %d%n",
            ManagementFactory.getRuntimeMXBean().getUptime(), waitedNanos / 1e6, newEpoch,
            stats.batchBuffersMapped(), stats.batchBuffersReused(), stats.gets(),
            gets.count() == 0 ? 0 : gets.percentile(1.0).toNanos() / 1e6, stats.inFlight(), stats.concurrencyLimit());
        previous = stats;
      }
    }

    @Override
    public void close() {
      if (out != null) {
        out.close();
      }
    }
  }

  /**
   * The consumer's view: how long each {@code next()} blocked and when each batch arrived. Steady state is what
   * arrives after the warm-up time (JIT compilation of the SDK, the decoder and the loader takes 10-20 s on two
   * cores; a training run lasts hours), or after the first batch when the warm-up is 0; a stand-in trainer sleeps
   * {@code consumerMs} per batch. The measurement lasts {@code measureNanos} and at least {@code minBatches}
   * batches: a p99 of fewer than 100 waits is their maximum, and at 200 ms per batch 15 s is 75 batches.
   */
  static final class BatchClock {
    private final long startNanos = System.nanoTime();
    private final int consumerMs;
    private final long warmupNanos;
    private final long measureNanos;
    private final int minBatches;
    private final long serverPid;
    private int measured; // batches that arrived after the warm-up, the first batch not counted
    private final List<long[]> batches = new ArrayList<>(); // {arrival, waited, samples, process CPU, server ticks}
    private String shape;

    BatchClock(int consumerMs, long warmupNanos, long measureNanos, int minBatches, long serverPid) {
      this.consumerMs = consumerMs;
      this.warmupNanos = warmupNanos;
      this.measureNanos = measureNanos;
      this.minBatches = minBatches;
      this.serverPid = serverPid;
    }

    /** Whether the warm-up is over. */
    boolean measuring() {
      return System.nanoTime() - startNanos >= warmupNanos;
    }

    /** Whether warm-up and measurement are both over. */
    boolean done() {
      long elapsed = System.nanoTime() - startNanos;
      return elapsed >= warmupNanos && elapsed - warmupNanos >= measureNanos && measured >= minBatches;
    }

    void delivered(long askedAt, int samples, INDArray features) {
      long now = System.nanoTime();
      if (now - startNanos >= warmupNanos && !batches.isEmpty()) { // as report() counts: the first never is
        measured++;
      }
      batches.add(new long[] {now, now - askedAt, samples, processCpuNanos(),
          serverPid > 0 ? Machine.cpuTicks(serverPid) : -1});
      if (shape == null && features != null) {
        shape = Arrays.toString(features.shape()) + " " + features.dataType();
      }
      if (consumerMs > 0) {
        try {
          Thread.sleep(consumerMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void report(Map<String, Object> result) {
      int n = batches.size();
      int warm = 0; // the last batch of the warm-up: the measured span starts at its arrival
      while (warm + 1 < n && batches.get(warm + 1)[0] - startNanos < warmupNanos) {
        warm++;
      }
      warm = Math.max(0, Math.min(warm, n - 2));
      long samples = 0;
      long waited = 0;
      long[] waits = new long[n - warm - 1];
      for (int i = warm + 1; i < n; i++) {
        samples += batches.get(i)[2];
        waited += batches.get(i)[1];
        waits[i - warm - 1] = batches.get(i)[1];
      }
      Arrays.sort(waits);
      long span = batches.get(n - 1)[0] - batches.get(warm)[0];
      if (n == 1) { // one batch: all there is to measure is its arrival
        samples = batches.get(0)[2];
        span = batches.get(0)[0] - startNanos;
      }
      long total = 0;
      for (long[] b : batches) {
        total += b[2];
      }
      result.put("imgPerSec", samples * 1e9 / span);
      long[] from = batches.get(warm);
      long[] to = batches.get(n - 1);
      if (n > 1 && samples > 0 && from[3] >= 0) {
        // the loader's own CPU per image: what its JVM used over the measured span (the consumer sleeps)
        result.put("cpuMsPerImage", (to[3] - from[3]) / 1e6 / samples);
      }
      if (n > 1 && samples > 0 && from[4] >= 0 && to[4] >= 0) {
        result.put("serverCpuMsPerImage", (to[4] - from[4]) * 1000.0 / Machine.CLOCK_TICKS / samples);
      }
      result.put("timeToFirstBatchMs", (batches.get(0)[0] - startNanos) / 1e6);
      result.put("waitP50Ms", percentile(waits, 0.5) / 1e6);
      result.put("waitP99Ms", percentile(waits, 0.99) / 1e6);
      result.put("waitShare", (double) waited / span);
      result.put("consumerMs", consumerMs);
      result.put("batches", n);
      result.put("measuredBatches", waits.length);
      result.put("warmupBatches", warm + 1);
      result.put("measuredSeconds", span / 1e9);
      result.put("images", total);
      result.put("overallImgPerSec", total * 1e9 / (batches.get(n - 1)[0] - startNanos));
      if (shape != null) {
        result.put("batchShape", shape);
      }
      if (consumerMs > 0) { // the consumer model: every batch's wait, in order, warm-up included
        result.put("waitsMs", batches.stream().mapToDouble(b -> Math.round(b[1] / 1e5) / 10.0).toArray());
      }
    }
  }
}
