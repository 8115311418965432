package io.sluice.s3;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;

/**
 * An {@link ObjectStore} over Amazon S3 or an S3-compatible server, through the AWS SDK v2
 * {@link S3AsyncClient} over the AWS CRT HTTP client (or Netty, see {@link Builder#httpClient}): no thread waits on
 * a request.
 *
 * <p>Object URIs have the form {@code s3://bucket/key} (see {@link S3Uri}). {@link #get} honours the
 * reference's version id and pins the read to its ETag with {@code If-Match}; a missing object fails with
 * {@link io.sluice.loader.store.ObjectNotFoundException}, every other failure with a {@link SluiceException}
 * naming the URI and saying whether a retry could help. {@link #list} follows continuation tokens until
 * the listing is complete, fanned out by common prefix ({@link S3Listing}).
 *
 * <pre>{@code
 * ObjectStore store = S3ObjectStore.create();              // default credentials and region chains
 * ObjectStore minio = S3ObjectStore.builder()
 *     .endpoint(URI.create("http://127.0.0.1:9000"))
 *     .region("us-east-1")
 *     .credentials(accessKey, secretKey)
 *     .pathStyle(true)
 *     .build();
 * }</pre>
 */
public interface S3ObjectStore extends ObjectStore {

  /**
   * A store on AWS S3 with the SDK's default credentials and region provider chains.
   *
   * @throws SluiceException if the SDK cannot be configured, for example when no region is found
   */
  static S3ObjectStore create() {
    return builder().build();
  }

  /** Starts configuring a store; every setting has a default. */
  static Builder builder() {
    return new Builder();
  }

  /** The HTTP client under the SDK's S3 client; both are dependencies of this module. */
  enum HttpClient {
    /**
     * The SDK's Netty client ({@code software.amazon.awssdk:netty-nio-client}): pure Java, for a platform the CRT has
     * no native library for.
     */
    NETTY,
    /**
     * The AWS Common Runtime client ({@code software.amazon.awssdk:aws-crt-client}, which brings the native
     * {@code software.amazon.awssdk.crt:aws-crt} jar, 24 MB, with libraries for Linux (glibc and musl) on x86 and ARM,
     * macOS, and Windows on x86): the default. With direct GETs it spent 0.24 core-ms per 110 KB GET in this
     * project's benchmark against Netty's 0.38, and in the loader its event loops 0.12-0.14 core-ms per image against
     * Netty's 0.16-0.23 (see the README's Benchmarks section).
     */
    CRT
  }

  /** How the store sends its GETs; listings and the HEAD after a 412 always go through the SDK client. */
  enum GetPath {
    /**
     * The default: each GET is signed by the SDK's SigV4 signer and sent on the SDK's HTTP client, to the endpoint
     * the SDK's S3 endpoint rules give, without the SDK client's generic request pipeline (interceptors, per-request
     * auth and endpoint resolution, marshalling and unmarshalling). Same requests, same checksum validation, same
     * errors; in this project's benchmark it cost the loader less CPU per 110 KB GET (see the README's Benchmarks
     * section). Used when {@link Builder#maxAttempts} is 1 (the default) and the bucket is signed with plain SigV4;
     * otherwise (multi-region access points, S3 Express directory buckets) GETs go through the SDK client.
     */
    DIRECT,
    /** Every GET through the SDK's {@code S3AsyncClient}, for example to have the SDK's metrics publishers see it. */
    SDK
  }

  /**
   * Configures an {@link S3ObjectStore}. Either let the store create (and own) its client from the settings
   * here, or hand it a {@link #client(S3AsyncClient) client} of your own; not both. Not thread-safe.
   */
  final class Builder {
    /** A region name as AWS spells them: lower-case letters, digits and hyphens. */
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    static final int DEFAULT_MAX_CONNECTIONS = 256;
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private URI endpoint;
    private String region;
    private AwsCredentialsProvider credentials;
    private boolean pathStyle;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxAttempts = 1;
    private boolean plainHttp;
    private long maxObjectSize = Long.MAX_VALUE;
    private int listConcurrency = S3Listing.DEFAULT_CONCURRENCY;
    private boolean clientSettingsUsed;
    private S3AsyncClient client;
    private HttpClient httpClient = HttpClient.CRT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private GetPath getPath = GetPath.DIRECT;

    private Builder() {}

    /**
     * Sends requests to {@code endpoint} instead of AWS, for an S3-compatible server. Default: the AWS
     * endpoint of the region.
     *
     * @throws NullPointerException if {@code endpoint} is null
     * @throws IllegalArgumentException if {@code endpoint} is not an absolute {@code http} or {@code https} URI
     *     with a host
     */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || endpoint.getHost() == null) {
        throw new IllegalArgumentException("endpoint must be an http or https URI with a host, was '" + endpoint + "'");
      }
      this.endpoint = endpoint;
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Allows an {@code http://} endpoint on a host other than this machine. Default false: plain HTTP sends
     * every request and object unencrypted, so only loopback endpoints (an S3 server in a test, a local proxy)
     * may use it without saying so.
     */
    public Builder allowPlainHttp(boolean allow) {
      this.plainHttp = allow;
      return this;
    }

    /**
     * Refuses objects larger than {@code bytes}: a reference whose recorded size is larger fails before any
     * request, and a response whose Content-Length (or streamed length) is larger fails before its body is
     * buffered. Default: no limit beyond what one array can hold.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxObjectSize(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("max object size must be positive, was " + bytes);
      }
      this.maxObjectSize = bytes;
      return this;
    }

    /**
     * Sets how many prefixes {@link #list} lists at once, fanning the listing out by common prefix (see
     * {@link S3Listing}); {@code 1} lists page after page. The result is the same either way. Default 16.
     *
     * @throws IllegalArgumentException if {@code concurrency} is not between 1 and 1000
     */
    public Builder listConcurrency(int concurrency) {
      S3Listing.builder().concurrency(concurrency); // validates
      this.listConcurrency = concurrency;
      return this;
    }

    /**
     * Sets the region to sign requests for, for example {@code eu-west-1}. Default: the SDK's region provider
     * chain ({@code AWS_REGION}, the profile file, instance metadata).
     *
     * @throws NullPointerException if {@code region} is null
     * @throws IllegalArgumentException if {@code region} is not lower-case letters, digits and hyphens
     */
    public Builder region(String region) {
      Objects.requireNonNull(region, "region");
      if (!REGION.matcher(region).matches()) {
        throw new IllegalArgumentException(
            "region must be lower-case letters, digits and hyphens, like us-east-1, was '" + region + "'");
      }
      this.region = region;
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Signs requests with these static credentials. Default: the SDK's default credentials provider chain.
     * Neither key is ever printed by the store.
     *
     * @throws NullPointerException if either key is null
     * @throws IllegalArgumentException if either key is blank
     */
    public Builder credentials(String accessKey, String secretKey) {
      Objects.requireNonNull(accessKey, "accessKey");
      Objects.requireNonNull(secretKey, "secretKey");
      if (accessKey.isBlank()) {
        throw new IllegalArgumentException("access key must not be blank");
      }
      if (secretKey.isBlank()) {
        throw new IllegalArgumentException("secret key must not be blank");
      }
      return credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }

    /**
     * Signs requests with credentials from {@code provider}. Default: the SDK's default credentials provider
     * chain.
     *
     * @throws NullPointerException if {@code provider} is null
     */
    public Builder credentials(AwsCredentialsProvider provider) {
      this.credentials = Objects.requireNonNull(provider, "provider");
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Addresses buckets in the path ({@code endpoint/bucket/key}) rather than the host name
     * ({@code bucket.endpoint/key}). Most S3-compatible servers need {@code true}. Default {@code false}.
     */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Caps the number of open HTTP connections, and so the requests in flight; further requests wait for a
     * free connection (up to the SDK's 10 s acquire timeout, after which they fail as retryable). Keep the
     * loader's requests in flight at or below this. Default 256, the upper bound of the loader's default adaptive
     * concurrency, so a grown limit never queues for a connection.
     *
     * @throws IllegalArgumentException if {@code maxConnections} is not between 1 and 10000
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1 || maxConnections > 10_000) {
        throw new IllegalArgumentException("max connections must be between 1 and 10000, was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Sets how many times the SDK tries each request before the store reports the failure (then
     * {@link SluiceException#retryable()} says whether trying later could help). Default 1: the loader's fetch
     * engine retries, hedges and backs off itself (see {@code FetchPolicy}), and it must see each 503 SlowDown to
     * lower its concurrency; SDK retries underneath would hide them and multiply the attempts. Raise it when
     * using the store on its own.
     *
     * @throws IllegalArgumentException if {@code maxAttempts} is not between 1 and 20
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 20) {
        throw new IllegalArgumentException("max attempts must be between 1 and 20, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Picks the HTTP client under the SDK client. Default {@link HttpClient#CRT}; {@link HttpClient#NETTY} needs no
     * native library.
     *
     * @throws NullPointerException if {@code httpClient} is null
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Fails a request, as retryable, once its connection has received nothing for {@code timeout}: a server that
     * stops answering mid-response costs one attempt, not a wait without end. Over Netty this is its read timeout;
     * over the CRT, which has none, a health check that closes a connection with a request in flight once it has
     * received less than a byte a second for that long (checked once a second, so give whole seconds; the CRT takes
     * no less than 2). Default 30 s, Netty's own default. The loader's hedged GETs ({@code FetchPolicy.hedgeAfter})
     * usually answer sooner; this bounds what a stalled connection holds, hedging or not.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is not a whole number of seconds between 2 s and 1 h
     */
    public Builder readTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.getNano() != 0 || timeout.getSeconds() < 2 || timeout.getSeconds() > 3600) {
        throw new IllegalArgumentException("read timeout must be a whole number of seconds between 2 s and 1 h, was "
            + timeout);
      }
      this.readTimeout = timeout;
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Picks how GETs are sent. Default {@link GetPath#DIRECT}.
     *
     * @throws NullPointerException if {@code getPath} is null
     */
    public Builder getPath(GetPath getPath) {
      this.getPath = Objects.requireNonNull(getPath, "getPath");
      clientSettingsUsed = true;
      return this;
    }

    /**
     * Uses {@code client} for every request instead of creating one. The store does not close it: its owner
     * does, after closing the store. Cannot be combined with the other settings, which configure a client.
     *
     * @throws NullPointerException if {@code client} is null
     */
    public Builder client(S3AsyncClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Creates the store.
     *
     * @throws IllegalStateException if both {@link #client(S3AsyncClient)} and client settings were given
     * @throws SluiceException if the SDK client cannot be created, for example when no region is configured
     */
    public S3ObjectStore build() {
      if (client != null) {
        if (clientSettingsUsed) {
          throw new IllegalStateException("client(S3AsyncClient) cannot be combined with endpoint, region, "
              + "credentials, pathStyle, maxConnections, maxAttempts, httpClient, readTimeout or getPath: configure the client "
              + "itself instead");
        }
        return new S3AsyncObjectStore(client, false, "user-supplied client", maxObjectSize, listConcurrency);
      }
      if (endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme()) && !plainHttp && !isLoopback(endpoint)) {
        throw new IllegalStateException("endpoint " + endpoint + " is plain HTTP to another machine: requests and "
            + "objects would travel unencrypted; use https, or call allowPlainHttp(true) if you mean it");
      }
      SdkAsyncHttpClient http;
      try {
        http = (httpClient == HttpClient.CRT ? CrtHttp.builder(maxConnections, readTimeout)
            : NettyNioAsyncHttpClient.builder().maxConcurrency(maxConnections).readTimeout(readTimeout)).build();
      } catch (SdkException | LinkageError e) { // a CRT without a native library for this platform
        throw new SluiceException("cannot create the HTTP client: " + e.getMessage()
            + (httpClient == HttpClient.CRT ? " (httpClient(NETTY) needs no native library)" : ""), e);
      }
      // The store owns the HTTP client: the SDK client shares it with the direct GETs and does not close it.
      S3AsyncClientBuilder sdk = S3AsyncClient.builder().httpClient(http).forcePathStyle(pathStyle);
      if (endpoint != null) {
        sdk.endpointOverride(endpoint);
      }
      if (region != null) {
        sdk.region(Region.of(region));
      }
      if (credentials != null) {
        sdk.credentialsProvider(credentials);
      }
      if (maxAttempts > 0) {
        int attempts = maxAttempts;
        sdk.overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(attempts)));
      }
      S3AsyncClient created;
      try {
        created = sdk.build();
      } catch (SdkException | LinkageError e) {
        http.close();
        throw new SluiceException("cannot create the S3 client: " + e.getMessage(), e);
      }
      if (getPath != GetPath.DIRECT || maxAttempts > 1) {
        return new S3AsyncObjectStore(created, true, describe(), maxObjectSize, listConcurrency, null,
            List.of(http));
      }
      ExecutorService completion = Executors.newFixedThreadPool(Math.max(2,
          Runtime.getRuntime().availableProcessors()), new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "sluice-s3-response-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });
      S3ServiceClientConfiguration conf = created.serviceClientConfiguration();
      DirectGet direct = new DirectGet(http, conf.credentialsProvider(), conf.region(),
          conf.endpointOverride().orElse(null), pathStyle, maxObjectSize, completion);
      return new S3AsyncObjectStore(created, true, describe(), maxObjectSize, listConcurrency, direct,
          List.of(http, completion::shutdown));
    }

    private static boolean isLoopback(URI endpoint) {
      String host = endpoint.getHost();
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      try {
        // A literal address only: resolving a name here would be a network call.
        if (host.matches("[0-9.]+") || host.startsWith("[")) {
          return java.net.InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        }
      } catch (java.net.UnknownHostException e) {
        return false;
      }
      return false;
    }

    /** The settings, for {@code toString()}: never the credentials themselves. */
    private String describe() {
      return "endpoint=" + (endpoint == null ? "AWS" : endpoint)
          + ", region=" + (region == null ? "default chain" : region)
          + ", credentials=" + (credentials == null ? "default chain" : credentials.getClass().getSimpleName())
          + ", pathStyle=" + pathStyle
          + ", maxConnections=" + maxConnections
          + ", maxAttempts=" + maxAttempts
          + ", httpClient=" + httpClient
          + ", readTimeout=" + readTimeout.getSeconds() + "s"
          + ", getPath=" + (maxAttempts > 1 ? GetPath.SDK : getPath);
    }
  }
}
