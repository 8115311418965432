package io.sluice.cli;

import io.sluice.loader.SluiceException;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.ObjectStore;
import io.sluice.s3.S3Listing;
import io.sluice.s3.S3ObjectStore;
import io.sluice.s3.S3Uri;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The S3 client of one command, created on first use from {@code --endpoint}, {@code --region} and
 * {@code --path-style}, with credentials from the AWS default chain (environment, system properties,
 * profile, instance role). Never prints the credentials.
 */
final class S3Connection implements AutoCloseable {
  private final URI endpoint;
  private final String region;
  private final boolean pathStyle;
  private S3AsyncClient client;
  private ObjectStore store;
  private ObjectStore localStore;

  S3Connection(URI endpoint, String region, boolean pathStyle) {
    if (endpoint != null && (!("http".equalsIgnoreCase(endpoint.getScheme())
        || "https".equalsIgnoreCase(endpoint.getScheme())) || endpoint.getHost() == null)) {
      throw new UsageException("option --endpoint must be an http or https URI with a host, was '" + endpoint + "'");
    }
    this.endpoint = endpoint;
    this.region = region != null ? region : endpoint != null ? "us-east-1" : null;
    this.pathStyle = pathStyle;
  }

  /** The SDK client, created on first use. */
  synchronized S3AsyncClient client() {
    if (client == null) {
      S3AsyncClientBuilder b = S3AsyncClient.builder().forcePathStyle(pathStyle);
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      if (region != null) {
        b.region(Region.of(region));
      }
      try {
        client = b.build();
      } catch (SdkException e) {
        throw new UsageException("cannot create the S3 client: " + e.getMessage()
            + (region == null ? " (pass --region or set AWS_REGION)" : ""));
      }
    }
    return client;
  }

  /**
   * The store objects are read through, as a training job's loader reads them: built by
   * {@link S3ObjectStore#builder()} from the same settings (its own HTTP client, direct GETs), not over
   * {@link #client()}, so that {@code sluice bench} measures the loader's own path.
   */
  synchronized ObjectStore store() {
    if (store == null) {
      try {
        S3ObjectStore.Builder b = S3ObjectStore.builder().pathStyle(pathStyle);
        if (endpoint != null) {
          b.endpoint(endpoint).allowPlainHttp(true); // the user named this endpoint
        }
        if (region != null) {
          b.region(region);
        }
        store = b.build();
      } catch (SluiceException | IllegalArgumentException e) {
        throw new UsageException(e.getMessage() + (region == null ? " (pass --region or set AWS_REGION)" : ""));
      }
    }
    return store;
  }

  /**
   * The store a manifest's objects are in: S3 for {@code s3://} URIs, else local files (paths relative to the
   * working directory). Closed with this connection.
   */
  synchronized ObjectStore storeFor(Manifest manifest) {
    if (manifest.size() > 0 && manifest.uri(0).regionMatches(true, 0, "s3://", 0, 5)) {
      return store();
    }
    if (localStore == null) {
      localStore = ObjectStore.localFiles(Path.of(""));
    }
    return localStore;
  }

  /**
   * Opens {@code uri} for streaming: the bytes arrive as they are read, so a manifest of any size is parsed
   * without holding it whole.
   *
   * @throws SluiceException naming {@code uri} if it cannot be opened
   */
  InputStream open(String uri) {
    S3Uri s3 = parse(uri);
    try {
      return client().getObject(b -> b.bucket(s3.bucket()).key(s3.key()),
          AsyncResponseTransformer.toBlockingInputStream()).join();
    } catch (CompletionException e) {
      throw failure("cannot read " + uri, uri, e.getCause());
    }
  }

  /**
   * Lists every object under {@code prefixUri}, following every page, fanned out by common prefix over
   * {@code concurrency} requests ({@link S3Listing}; 1 lists page after page); folder markers (keys ending with
   * {@code /}) are kept. With {@code versions}, lists with ListObjectVersions and keeps the latest version of each
   * object that is not deleted. Tells {@code listed} how many more objects each page brought.
   *
   * @return the objects sorted by URI, the same whatever the concurrency and depth
   * @throws SluiceException naming the prefix, the page and the cause if a request fails
   */
  List<ObjectRef> list(String prefixUri, boolean versions, int concurrency, int depth, LongConsumer listed) {
    try {
      S3Uri.parsePrefix(prefixUri);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    S3Listing listing = S3Listing.builder().client(client()).versions(versions).concurrency(concurrency).depth(depth)
        .progress(listed).build();
    try {
      return listing.list(prefixUri).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof SluiceException s ? s : failure("cannot list " + prefixUri, prefixUri, e.getCause());
    }
  }

  /**
   * What S3 says of one version of an object, or {@code null} if it does not exist.
   *
   * @throws SluiceException naming {@code uri} for any other failure
   */
  HeadObjectResponse head(String uri, String versionId) {
    S3Uri s3 = parse(uri);
    try {
      return client().headObject(b -> b.bucket(s3.bucket()).key(s3.key()).versionId(versionId)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SdkServiceException s && (s.statusCode() == 404 || s.statusCode() == 400)) {
        return null;
      }
      throw failure("cannot check " + uri, uri, e.getCause());
    }
  }

  private static S3Uri parse(String uri) {
    try {
      return S3Uri.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** A failure naming {@code uri} and the error code and status (never a request's credentials). */
  private static SluiceException failure(String what, String uri, Throwable cause) {
    String detail = String.valueOf(cause);
    if (cause instanceof SdkServiceException s) {
      detail = "HTTP " + s.statusCode();
      if (s instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null) {
        detail = a.awsErrorDetails().errorCode() + ", " + detail;
      }
    }
    return new SluiceException(what + ": " + detail, uri, false, cause);
  }

  static String unquote(String etag) {
    if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
      return etag.substring(1, etag.length() - 1);
    }
    return etag;
  }

  @Override
  public synchronized void close() {
    if (localStore != null) {
      localStore.close();
    }
    if (store != null) {
      store.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
