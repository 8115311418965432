package io.sluice.spark;

import io.sluice.s3.S3ObjectStore;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * The settings of an {@link S3ObjectStore}, serialisable so that every executor builds its own store from them.
 *
 * <p>Without {@link Builder#credentials(String, String)}, each executor uses the AWS default credentials chain
 * (environment, profile, instance role): the right choice on a cluster, since static keys travel inside Spark's
 * task descriptions. {@link #toString()} never shows the keys.
 *
 * <pre>{@code
 * S3StoreSettings store = S3StoreSettings.builder().region("eu-west-1").build();
 * }</pre>
 */
public final class S3StoreSettings implements StoreProvider, Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  private final URI endpoint;
  private final String region;
  private final boolean pathStyle;
  private final String accessKey;
  private final String secretKey;
  private final int maxConnections;
  private final boolean allowPlainHttp;
  private final long maxObjectSize;
  private final S3ObjectStore.HttpClient httpClient;

  private S3StoreSettings(Builder b) {
    this.endpoint = b.endpoint;
    this.region = b.region;
    this.pathStyle = b.pathStyle;
    this.accessKey = b.accessKey;
    this.secretKey = b.secretKey;
    this.maxConnections = b.maxConnections;
    this.allowPlainHttp = b.allowPlainHttp;
    this.maxObjectSize = b.maxObjectSize;
    this.httpClient = b.httpClient;
  }

  /** Starts configuring; every setting has a default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds the store these settings describe; the caller closes it. */
  @Override
  public S3ObjectStore create() {
    S3ObjectStore.Builder b = S3ObjectStore.builder().pathStyle(pathStyle).allowPlainHttp(allowPlainHttp)
        .maxConnections(maxConnections).httpClient(httpClient);
    if (endpoint != null) {
      b.endpoint(endpoint);
    }
    if (region != null) {
      b.region(region);
    }
    if (accessKey != null) {
      b.credentials(accessKey, secretKey);
    }
    if (maxObjectSize > 0) {
      b.maxObjectSize(maxObjectSize);
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof S3StoreSettings s && Objects.equals(endpoint, s.endpoint) && Objects.equals(region, s.region)
        && pathStyle == s.pathStyle && Objects.equals(accessKey, s.accessKey) && Objects.equals(secretKey, s.secretKey)
        && maxConnections == s.maxConnections && allowPlainHttp == s.allowPlainHttp
        && maxObjectSize == s.maxObjectSize && httpClient == s.httpClient;
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoint, region, pathStyle, accessKey, secretKey, maxConnections, allowPlainHttp,
        maxObjectSize, httpClient);
  }

  /** The settings without the credentials themselves. */
  @Override
  public String toString() {
    return "S3StoreSettings{endpoint=" + (endpoint == null ? "AWS" : endpoint)
        + ", region=" + (region == null ? "default chain" : region)
        + ", credentials=" + (accessKey == null ? "default chain" : "static")
        + ", pathStyle=" + pathStyle + ", maxConnections=" + maxConnections + ", httpClient=" + httpClient + "}";
  }

  /** Configures {@link S3StoreSettings}; setters validate as {@link S3ObjectStore.Builder} does. */
  public static final class Builder {
    private URI endpoint;
    private String region;
    private boolean pathStyle;
    private String accessKey;
    private String secretKey;
    private int maxConnections = 256;
    private boolean allowPlainHttp;
    private long maxObjectSize;
    private S3ObjectStore.HttpClient httpClient = S3ObjectStore.HttpClient.CRT;

    private Builder() {}

    /** An S3-compatible endpoint instead of AWS's. Default: AWS. See {@link S3ObjectStore.Builder#endpoint}. */
    public Builder endpoint(URI endpoint) {
      S3ObjectStore.builder().endpoint(endpoint); // validates
      this.endpoint = endpoint;
      return this;
    }

    /** The region to sign for. Default: the SDK's region chain on each executor. */
    public Builder region(String region) {
      S3ObjectStore.builder().region(region); // validates
      this.region = region;
      return this;
    }

    /** Path-style addressing, which most S3-compatible servers need. Default false. */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /**
     * Static credentials, shipped to executors inside Spark's task descriptions (use Spark's network encryption,
     * or prefer the default chain). Default: the AWS default credentials chain on each executor.
     *
     * @throws IllegalArgumentException if either is blank
     */
    public Builder credentials(String accessKey, String secretKey) {
      S3ObjectStore.builder().credentials(accessKey, secretKey); // validates
      this.accessKey = accessKey;
      this.secretKey = secretKey;
      return this;
    }

    /** Open HTTP connections per executor store. Default 256. See {@link S3ObjectStore.Builder#maxConnections}. */
    public Builder maxConnections(int maxConnections) {
      S3ObjectStore.builder().maxConnections(maxConnections); // validates
      this.maxConnections = maxConnections;
      return this;
    }

    /** Allows plain HTTP to a non-loopback endpoint. Default false. */
    public Builder allowPlainHttp(boolean allow) {
      this.allowPlainHttp = allow;
      return this;
    }

    /** Refuses larger objects. Default: no limit. See {@link S3ObjectStore.Builder#maxObjectSize}. */
    public Builder maxObjectSize(long bytes) {
      S3ObjectStore.builder().maxObjectSize(bytes); // validates
      this.maxObjectSize = bytes;
      return this;
    }

    /**
     * The HTTP client of each executor's store. Default {@link S3ObjectStore.HttpClient#CRT}; pick
     * {@link S3ObjectStore.HttpClient#NETTY} for executors on a platform the CRT has no native library for. See
     * {@link S3ObjectStore.Builder#httpClient}.
     *
     * @throws NullPointerException if {@code httpClient} is null
     */
    public Builder httpClient(S3ObjectStore.HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** The settings. */
    public S3StoreSettings build() {
      return new S3StoreSettings(this);
    }
  }
}
