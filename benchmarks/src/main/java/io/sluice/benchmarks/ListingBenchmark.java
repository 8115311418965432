package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.benchmarks.harness.Machine;
import io.sluice.benchmarks.harness.QuietLogging;
import io.sluice.loader.store.ObjectRef;
import io.sluice.s3.S3Listing;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Lists a simulated bucket of 1M keys (1,000 class folders of 500 to 1,500 objects, ImageNet's layout) through
 * {@link S3Listing} and the AWS SDK's Netty client, sequentially and fanned out, and reports objects listed per
 * second. The bucket is an HTTP endpoint in this JVM that answers ListObjectsV2 (prefix, delimiter, continuation,
 * 1,000 entries a page, S3's XML) after a fixed latency per request, standing in for S3's ~30-60 ms per page: a
 * real server cannot be filled with 1M objects in a benchmark's time. Everything on the client side (signing, HTTP,
 * XML parsing, the listing itself) is the code a user runs. Repetitions are interleaved (each concurrency once, then
 * again); the table gives the median, and the JVM's CPU time per run (client and simulated server together) shows when
 * the machine's cores, not the latency, set the pace.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.ListingBenchmark \
 *     [--keys 1000000] [--latency-ms 40] [--concurrency 1,8,16,32] [--reps 2] [--out benchmarks/results]
 * </pre>
 */
public final class ListingBenchmark {
  private static final String BUCKET = "bench";
  private static final String ROOT = "s3://" + BUCKET + "/train/";
  private static final int PAGE = 1000;

  private ListingBenchmark() {}

  public static void main(String[] args) throws Exception {
    QuietLogging.apply();
    Map<String, String> options = new HashMap<>(Map.of("--keys", "1000000", "--latency-ms", "40",
        "--concurrency", "1,8,16,32", "--reps", "2"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!options.containsKey(args[i]) && !args[i].equals("--out")) {
        throw new IllegalArgumentException("unknown option " + args[i]
            + "; expected --keys N, --latency-ms MS, --concurrency A,B,.., --reps N or --out DIR");
      }
      options.put(args[i], args[i + 1]);
    }
    int keys = Integer.parseInt(options.get("--keys"));
    int latencyMs = Integer.parseInt(options.get("--latency-ms"));
    int[] concurrencies = Arrays.stream(options.get("--concurrency").split(",")).mapToInt(Integer::parseInt).toArray();
    int reps = Integer.parseInt(options.get("--reps"));

    String[] bucket = imagenetLayout(keys);
    SimulatedBucket server = new SimulatedBucket(bucket, latencyMs);
    List<Map<String, Object>> rows = new ArrayList<>();
    try (S3AsyncClient client = S3AsyncClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
        .forcePathStyle(true).httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(128)).build()) {
      // Warm-up of the SDK's and the listing's code: 100 folders, about 100 pages, at concurrency 8.
      S3Listing.builder().client(client).concurrency(8).build().list("s3://" + BUCKET + "/train/n0000").join();
      System.out.printf(Locale.ROOT, "%,d keys in %d folders, %d ms per ListObjectsV2 request, %d cores, load %.1f%n",
          bucket.length, 1000, latencyMs, Runtime.getRuntime().availableProcessors(), Machine.loadAverage());
      System.out.println("concurrency  objects     requests  seconds (median of " + reps + ")  CPU s  objects/s  "
          + "vs sequential");
      List<ObjectRef> first = null;
      double[][] seconds = new double[concurrencies.length][reps];
      double[][] cpu = new double[concurrencies.length][reps];
      long[] requests = new long[concurrencies.length];
      for (int rep = 0; rep < reps; rep++) {
        for (int c = 0; c < concurrencies.length; c++) {
          server.requests.set(0);
          long cpuStart = processCpuNanos();
          long start = System.nanoTime();
          List<ObjectRef> listed = S3Listing.builder().client(client).concurrency(concurrencies[c]).build().list(ROOT)
              .join();
          seconds[c][rep] = (System.nanoTime() - start) / 1e9;
          cpu[c][rep] = (processCpuNanos() - cpuStart) / 1e9;
          requests[c] = server.requests.get();
          if (listed.size() != bucket.length) {
            throw new IllegalStateException("listed " + listed.size() + " of " + bucket.length + " objects");
          }
          if (first == null) {
            first = listed;
          } else if (!first.equals(listed)) {
            throw new IllegalStateException("the listing at concurrency " + concurrencies[c] + " differs");
          }
        }
      }
      double sequentialRate = 0;
      for (int c = 0; c < concurrencies.length; c++) {
        double median = median(seconds[c]);
        double rate = bucket.length / median;
        if (concurrencies[c] == 1) {
          sequentialRate = rate;
        }
        String ratio = sequentialRate > 0 ? String.format(Locale.ROOT, "%.1fx", rate / sequentialRate) : "-";
        System.out.printf(Locale.ROOT, "%11d  %,9d  %9d  %7.2f %-19s %5.1f  %,9.0f  %s%n", concurrencies[c],
            bucket.length, requests[c], median, Arrays.toString(round(seconds[c])), median(cpu[c]), rate, ratio);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("concurrency", concurrencies[c]);
        row.put("objects", bucket.length);
        row.put("requests", requests[c]);
        row.put("seconds", round(seconds[c]));
        row.put("medianSeconds", Math.round(median * 100) / 100.0);
        row.put("cpuSeconds", round(cpu[c]));
        row.put("objectsPerSecond", Math.round(rate));
        row.put("vsSequential", sequentialRate > 0 ? Math.round(rate / sequentialRate * 10) / 10.0 : null);
        rows.add(row);
      }
    } finally {
      server.stop();
    }
    if (options.containsKey("--out")) {
      write(Path.of(options.get("--out")), keys, latencyMs, rows);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double[] round(double[] values) {
    return Arrays.stream(values).map(v -> Math.round(v * 100) / 100.0).toArray();
  }

  /** ImageNet's layout: {@code train/nXXXXXX/nXXXXXX_I.JPEG}, 1,000 folders of 500 to 1,500 keys, sorted. */
  static String[] imagenetLayout(int total) {
    int folders = 1000;
    int mean = total / folders;
    List<String> keys = new ArrayList<>(total);
    for (int f = 0; f < folders; f++) {
      int spread = (f / 2 * 37) % (mean / 2 + 1);
      int count = f == folders - 1 ? total - keys.size() : f % 2 == 0 ? mean + spread : mean - spread;
      String folder = String.format(Locale.ROOT, "n%06d", f);
      for (int i = 0; i < count; i++) {
        keys.add("train/" + folder + "/" + folder + "_" + i + ".JPEG");
      }
    }
    String[] sorted = keys.toArray(String[]::new);
    Arrays.sort(sorted);
    return sorted;
  }

  private static void write(Path dir, int keys, int latencyMs, List<Map<String, Object>> rows) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "ListingBenchmark");
    report.put("date", LocalDate.now().toString());
    report.put("machine", Machine.describe());
    report.put("loadAverage", Machine.loadAverage());
    report.put("keys", keys);
    report.put("folders", 1000);
    report.put("latencyMsPerRequest", latencyMs);
    report.put("runs", rows);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("listing.json").toFile(),
        report);
    Map<String, Object> machine = Machine.describe();
    StringBuilder md = new StringBuilder("# Listing 1M keys: sequential vs fanned out by prefix\n\n")
        .append(String.format(Locale.ROOT, "`ListingBenchmark`, %s: %s cores (%s), %s, %s; load average %.1f.%n%n"
            + "%,d keys in 1,000 folders of %,d-%,d keys; a simulated endpoint in the same JVM answers each "
            + "ListObjectsV2 request after %d ms; the AWS SDK's Netty client and `S3Listing` do the rest.%n%n",
            report.get("date"), machine.get("cores"), machine.get("cpu"), machine.get("jdk"), machine.get("os"),
            Machine.loadAverage(), keys, keys / 2000, keys * 3 / 2000, latencyMs))
        .append("| concurrency | requests | seconds, median (runs) | JVM CPU s | objects/s | vs sequential |\n"
            + "|---:|---:|---:|---:|---:|---:|\n");
    for (Map<String, Object> r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %s (%s) | %s | %,d | %s |%n", r.get("concurrency"),
          (Long) r.get("requests"), r.get("medianSeconds"), Arrays.toString((double[]) r.get("seconds")),
          Arrays.toString((double[]) r.get("cpuSeconds")), (Long) r.get("objectsPerSecond"),
          r.get("vsSequential") == null ? "-" : r.get("vsSequential") + "x"));
    }
    Files.writeString(dir.resolve("listing.md"), md);
  }

  /**
   * A bucket that answers ListObjectsV2 over HTTP (path style, {@code GET /bench?list-type=2&...}) from a sorted key
   * array, after {@code latencyMs}; each request's handler thread sleeps out the latency, like a server far away.
   */
  static final class SimulatedBucket {
    final AtomicLong requests = new AtomicLong();
    private final String[] keys;
    private final int latencyMs;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(160);

    SimulatedBucket(String[] keys, int latencyMs) throws IOException {
      this.keys = keys;
      this.latencyMs = latencyMs;
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
      server.createContext("/", this::answer);
      server.setExecutor(threads);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void stop() {
      server.stop(0);
      threads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
      try (exchange) {
        requests.incrementAndGet();
        Thread.sleep(latencyMs);
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
          int eq = pair.indexOf('=');
          query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        byte[] body = page(query.getOrDefault("prefix", ""), query.get("delimiter"),
            query.get("continuation-token")).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** One page of S3's ListBucketResult; the continuation token is the index of the next key. */
    private String page(String prefix, String delimiter, String token) {
      int i = token != null ? Integer.parseInt(token) : lowerBound(prefix);
      StringBuilder contents = new StringBuilder();
      StringBuilder prefixes = new StringBuilder();
      int entries = 0;
      while (i < keys.length && keys[i].startsWith(prefix) && entries < PAGE) {
        String key = keys[i];
        int slash = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
        if (slash >= 0) {
          String common = key.substring(0, slash + delimiter.length());
          prefixes.append("<CommonPrefixes><Prefix>").append(common).append("</Prefix></CommonPrefixes>");
          // Past every key under the common prefix: the next string after all that start with it.
          i = lowerBound(common.substring(0, common.length() - 1) + (char) (common.charAt(common.length() - 1) + 1));
        } else {
          contents.append("<Contents><Key>").append(key).append("</Key><LastModified>2026-11-01T00:00:00.000Z"
              + "</LastModified><ETag>&quot;").append(Integer.toHexString(key.hashCode()))
              .append("0123456789abcdef0123&quot;</ETag><Size>").append(110_000 + (key.hashCode() & 0xFFFF))
              .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
          i++;
        }
        entries++;
      }
      boolean truncated = i < keys.length && keys[i].startsWith(prefix);
      return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
          + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + BUCKET + "</Name><Prefix>" + prefix
          + "</Prefix>" + (delimiter == null ? "" : "<Delimiter>" + delimiter + "</Delimiter>")
          + "<MaxKeys>" + PAGE + "</MaxKeys><KeyCount>" + entries + "</KeyCount><IsTruncated>" + truncated
          + "</IsTruncated>" + (token == null ? "" : "<ContinuationToken>" + token + "</ContinuationToken>")
          + (truncated ? "<NextContinuationToken>" + i + "</NextContinuationToken>" : "") + contents + prefixes
          + "</ListBucketResult>";
    }

    private int lowerBound(String key) {
      int at = Arrays.binarySearch(keys, key);
      return at >= 0 ? at : -at - 1;
    }
  }
}
