package io.sluice.s3.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyConstants;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.middleware.Middlewares;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A real S3 server running inside this JVM, bound to {@code 127.0.0.1}, for tests, demos and benchmarks.
 *
 * <p>It is <a href="https://github.com/gaul/s3proxy">s3proxy</a> started in-process. Requests must be signed
 * with AWS Signature V4 using {@link #accessKey()} and {@link #secretKey()} (fixed dummy values), so a client
 * takes the same code path as against AWS. Use path-style addressing and any region, for example
 * {@link #region()}:
 *
 * <pre>{@code
 * try (EmbeddedS3 s3 = EmbeddedS3.builder().start()) {
 *   s3.createBucket("images");
 *   S3Client client = S3Client.builder()
 *       .endpointOverride(s3.endpoint())
 *       .region(Region.of(s3.region()))
 *       .credentialsProvider(StaticCredentialsProvider.create(
 *           AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
 *       .forcePathStyle(true)
 *       .build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Objects live in memory unless {@link Builder#dataDirectory(Path)} is set. {@link #close()} stops the
 * server and its threads. Instances are thread-safe.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final String ACCESS_KEY = "sluice-embedded-access-key";
  private static final String SECRET_KEY = "sluice-embedded-secret-key-not-for-production";
  private static final String REGION = "us-east-1";
  private static final long STOP_TIMEOUT_MILLIS = 2_000;
  /** S3's rules for bucket names: 3 to 63 lower-case letters, digits, dots and hyphens. */
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final S3Proxy server;
  private final BlobStore store;
  private final URI endpoint;
  private final Duration latency;
  private final Path dataDirectory;
  private final String accessKey;
  private final String secretKey;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final GetCounter gets;

  private EmbeddedS3(S3Proxy server, BlobStore store, GetCounter gets, URI endpoint, Duration latency,
      Path dataDirectory, String accessKey, String secretKey) {
    this.server = server;
    this.gets = gets;
    this.store = store;
    this.endpoint = endpoint;
    this.latency = latency;
    this.dataDirectory = dataDirectory;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /** Starts configuring a server: free port, in memory, no added latency. */
  public static Builder builder() {
    return new Builder();
  }

  /** The server's base URI, {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The port the server listens on. */
  public int port() {
    return endpoint.getPort();
  }

  /** The access key id clients must sign with (a fixed dummy value unless the builder set one). */
  public String accessKey() {
    return accessKey;
  }

  /** The secret key clients must sign with (never printed by {@link #toString()}). */
  public String secretKey() {
    return secretKey;
  }

  /** A region name to configure clients with; the server accepts signatures for any region. */
  public String region() {
    return REGION;
  }

  /**
   * Creates a bucket, or does nothing if it already exists.
   *
   * @param bucket the bucket name, following S3's rules (3 to 63 lower-case letters, digits, dots, hyphens)
   * @throws IllegalArgumentException if {@code bucket} is not a valid bucket name
   * @throws IllegalStateException if this server is closed
   */
  public void createBucket(String bucket) {
    Objects.requireNonNull(bucket, "bucket");
    if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException("invalid bucket name '" + bucket
          + "': use 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit");
    }
    if (closed.get()) {
      throw new IllegalStateException("cannot create bucket '" + bucket + "': " + this + " is closed");
    }
    if (!store.containerExists(bucket)) {
      store.createContainer(bucket);
    }
  }

  /**
   * How many GET requests the server has answered for each object since it started (or since
   * {@link #resetObjectGets()}), keyed {@code bucket/key} in key order. Counted where the server reads the object
   * for a GET, ranged or not, whatever its outcome (a GET refused by {@code If-Match} counts too); HEAD and
   * listing requests are not counted. A snapshot: later requests do not change it.
   */
  public Map<String, Long> objectGets() {
    Map<String, Long> snapshot = new TreeMap<>();
    gets.counts.forEach((key, count) -> snapshot.put(key, count.sum()));
    return snapshot;
  }

  /** Starts counting {@link #objectGets()} from zero. */
  public void resetObjectGets() {
    gets.counts.clear();
  }

  /** Stops the server and its threads; in-memory objects are gone afterwards. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop " + this, e);
    } finally {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedS3{" + endpoint
        + ", " + (dataDirectory == null ? "in memory" : "data in " + dataDirectory)
        + (latency.isZero() ? "" : ", GET latency " + latency.toMillis() + " ms")
        + (closed.get() ? ", closed" : "")
        + "}";
  }

  /** Configures and starts an {@link EmbeddedS3}. Not thread-safe; {@link #start()} may be called repeatedly. */
  public static final class Builder {
    private int port;
    private Duration latency = Duration.ZERO;
    private Path dataDirectory;
    private String accessKey = ACCESS_KEY;
    private String secretKey = SECRET_KEY;

    /**
     * The credentials clients must sign with. Default: fixed dummy values.
     *
     * @throws IllegalArgumentException if either is blank
     */
    public Builder credentials(String accessKey, String secretKey) {
      Objects.requireNonNull(accessKey, "accessKey");
      Objects.requireNonNull(secretKey, "secretKey");
      if (accessKey.isBlank() || secretKey.isBlank()) {
        throw new IllegalArgumentException("access key and secret key must not be blank");
      }
      this.accessKey = accessKey;
      this.secretKey = secretKey;
      return this;
    }

    private Builder() {}

    /**
     * Sets the port to listen on. Default {@code 0}: any free port, see {@link EmbeddedS3#port()}.
     *
     * @throws IllegalArgumentException if {@code port} is not between 0 and 65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets a delay the server adds before answering each GET of an object, to imitate S3's first-byte
     * latency. Default zero. Applied in whole milliseconds (finer parts are dropped); the delay holds one of
     * the server's 200 request threads, so it does not slow other requests down.
     *
     * @throws NullPointerException if {@code latency} is null
     * @throws IllegalArgumentException if {@code latency} is negative or longer than one minute
     */
    public Builder latency(Duration latency) {
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative() || latency.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("latency must be between zero and one minute, was " + latency);
      }
      this.latency = latency;
      return this;
    }

    /**
     * Keeps objects as files under {@code directory} (created if missing) instead of in memory, so they
     * outlive the server. Default: in memory.
     *
     * @throws NullPointerException if {@code directory} is null
     * @throws IllegalArgumentException if {@code directory} exists and is not a directory
     */
    public Builder dataDirectory(Path directory) {
      Objects.requireNonNull(directory, "directory");
      if (Files.exists(directory) && !Files.isDirectory(directory)) {
        throw new IllegalArgumentException("data directory " + directory + " exists and is not a directory");
      }
      this.dataDirectory = directory.toAbsolutePath().normalize();
      return this;
    }

    /**
     * Starts a server with this configuration.
     *
     * @throws UncheckedIOException if the data directory cannot be created
     * @throws IllegalStateException if the server cannot start, for example because the port is taken
     */
    public EmbeddedS3 start() {
      BlobStore backend = dataDirectory == null ? new TransientNio2BlobStore() : onDisk(dataDirectory);
      GetCounter gets = new GetCounter(backend);
      BlobStore served = withLatency(gets, latency);
      S3Proxy server = S3Proxy.builder()
          .blobStore(served)
          .endpoint(URI.create("http://" + HOST + ":" + port))
          .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
          .stopTimeout(STOP_TIMEOUT_MILLIS)
          .build();
      try {
        server.start();
      } catch (Exception e) {
        stopQuietly(server, e);
        backend.close();
        throw new IllegalStateException("cannot start embedded S3 on " + HOST + ":" + port + ": " + e, e);
      }
      if (!"STARTED".equals(server.getState())) {
        String state = server.getState();
        stopQuietly(server, null);
        backend.close();
        throw new IllegalStateException("embedded S3 on " + HOST + ":" + port + " did not start, state " + state);
      }
      URI endpoint = URI.create("http://" + HOST + ":" + server.getPort());
      return new EmbeddedS3(server, backend, gets, endpoint, latency, dataDirectory, accessKey, secretKey);
    }

    private static BlobStore onDisk(Path directory) {
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create data directory " + directory, e);
      }
      return new FilesystemNio2BlobStore(directory.toString());
    }

    /** Wraps {@code backend} in s3proxy's latency middleware, configured the way its properties file would. */
    private static BlobStore withLatency(BlobStore backend, Duration latency) {
      if (latency.toMillis() == 0) {
        return backend;
      }
      Properties properties = new Properties();
      properties.setProperty(S3ProxyConstants.PROPERTY_LATENCY + ".get.latency",
          Long.toString(latency.toMillis()));
      try {
        return Middlewares.wrap(backend, properties, unused -> {
          throw new IOException("no second backend is configured");
        });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot configure latency " + latency, e);
      }
    }

    private static void stopQuietly(S3Proxy server, Exception primary) {
      try {
        server.stop();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        }
      }
    }
  }

  /** Counts the GETs of each object on their way to the blob store. */
  private static final class GetCounter extends ForwardingBlobStore {
    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    GetCounter(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
      counts.computeIfAbsent(request.bucket() + "/" + request.key(), unused -> new LongAdder()).increment();
      return super.getBlob(request);
    }
  }
}
