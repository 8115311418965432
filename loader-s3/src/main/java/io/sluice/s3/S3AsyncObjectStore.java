package io.sluice.s3;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectInfo;
import io.sluice.loader.store.ObjectNotFoundException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.store.ThrottledException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@link S3ObjectStore} over an {@link S3AsyncClient}; callbacks run on the SDK's completion threads. */
final class S3AsyncObjectStore implements S3ObjectStore {
  private final S3AsyncClient client;
  private final boolean ownsClient;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final long maxObjectSize;
  private final int listConcurrency;

  /** GETs without the SDK client's pipeline, or null: every request through {@link #client}. */
  private final DirectGet direct;
  /** What the store closes after the client (the HTTP client and executor it shares with {@link #direct}). */
  private final List<AutoCloseable> owned;

  S3AsyncObjectStore(S3AsyncClient client, boolean ownsClient, String description, long maxObjectSize,
      int listConcurrency) {
    this(client, ownsClient, description, maxObjectSize, listConcurrency, null, List.of());
  }

  S3AsyncObjectStore(S3AsyncClient client, boolean ownsClient, String description, long maxObjectSize,
      int listConcurrency, DirectGet direct, List<AutoCloseable> owned) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.description = Objects.requireNonNull(description, "description");
    this.maxObjectSize = maxObjectSize;
    this.listConcurrency = listConcurrency;
    this.direct = direct;
    this.owned = List.copyOf(owned);
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (ref.size() > maxObjectSize) {
      return CompletableFuture.failedFuture(new SluiceException("object " + ref.uri() + " is recorded as " + ref.size()
          + " bytes, more than the limit of " + maxObjectSize + " (maxObjectSize): refused", ref.uri(), false, null));
    }
    return read(ref, -1, -1);
  }

  @Override
  public boolean supportsRanges() {
    return true;
  }

  @Override
  public CompletableFuture<StoredObject> getRange(ObjectRef ref, long offset, long length) {
    Objects.requireNonNull(ref, "ref");
    if (offset < 0 || length <= 0) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("range must have offset >= 0 and length > 0, was "
          + offset + "+" + length));
    }
    return read(ref, offset, length);
  }

  /**
   * One GET: the whole object ({@code offset < 0}) or a range. Pinned by version id and If-Match when the reference
   * carries them; a body shorter than announced, or a whole object of another size than recorded, fails.
   */
  private CompletableFuture<StoredObject> read(ObjectRef ref, long offset, long length) {
    String uri = ref.uri();
    String what = offset < 0 ? uri : uri + " bytes " + offset + "-" + (offset + length - 1);
    S3Uri s3;
    try {
      s3 = S3Uri.parse(uri);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new SluiceException("cannot read " + uri + ": " + e.getMessage(),
          uri, false, e));
    }
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedException("read", uri));
    }
    CompletableFuture<DirectGet.Response> call;
    try {
      call = direct != null && direct.handles(s3.bucket())
          ? direct.get(uri, s3.bucket(), s3.key(), offset, length, ref.versionId(),
              ref.etag() == null ? null : quote(ref.etag()))
          : sdkGet(uri, s3, offset, length, ref);
    } catch (RuntimeException e) { // a closed or misconfigured client may throw instead of failing the future
      return CompletableFuture.failedFuture(readFailure(ref, e));
    }
    CompletableFuture<StoredObject> result = new CompletableFuture<>();
    call.whenComplete((response, error) -> {
      if (error != null) {
        if (ref.etag() != null && isPreconditionFailed(unwrap(error))) {
          reportChanged(ref, s3, unwrap(error), result);
          return;
        }
        result.completeExceptionally(readFailure(ref, error));
        return;
      }
      byte[] content = response.body();
      long announced = offset >= 0 ? length : response.contentLength();
      if (announced >= 0 && announced != content.length) {
        result.completeExceptionally(new SluiceException("cannot read " + what + ": body ended after "
            + content.length + " of " + announced + " bytes", uri, true, null));
        return;
      }
      if (offset < 0 && ref.size() >= 0 && ref.size() != content.length) {
        result.completeExceptionally(new SluiceException("object " + uri + " changed: expected " + ref.size()
            + " bytes, found " + content.length, uri, false, null));
        return;
      }
      result.complete(new StoredObject(uri, content, unquote(response.eTag()), response.versionId()));
    });
    // Cancelling the returned future (say, to re-issue a slow GET) cancels the request. Netty closes the connection
    // at once; the CRT client cannot abort a request it has sent, so its connection stays busy until the response
    // ends or the read timeout's health check closes it (CrtHttp).
    result.whenComplete((unused, error) -> {
      if (result.isCancelled()) {
        call.cancel(true);
      }
    });
    return result;
  }

  /** One GET through the SDK client, its response reduced to what {@link #read} needs. */
  private CompletableFuture<DirectGet.Response> sdkGet(String uri, S3Uri s3, long offset, long length, ObjectRef ref) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(s3.bucket()).key(s3.key());
    if (offset >= 0) {
      request.range("bytes=" + offset + "-" + (offset + length - 1));
    }
    if (ref.versionId() != null) {
      request.versionId(ref.versionId());
    }
    if (ref.etag() != null) {
      request.ifMatch(quote(ref.etag()));
    }
    CompletableFuture<ResponseBytes<GetObjectResponse>> call =
        client.getObject(request.build(), new BodyBytes(maxObjectSize, uri));
    CompletableFuture<DirectGet.Response> reduced = new CompletableFuture<>();
    call.whenComplete((bytes, error) -> {
      if (error != null) {
        reduced.completeExceptionally(error);
      } else {
        Long announced = bytes.response().contentLength();
        reduced.complete(new DirectGet.Response(bytes.asByteArrayUnsafe(), announced == null ? -1 : announced,
            bytes.response().eTag(), bytes.response().versionId()));
      }
    });
    reduced.whenComplete((unused, error) -> {
      if (reduced.isCancelled()) {
        call.cancel(true);
      }
    });
    return reduced;
  }

  /**
   * Lists with {@link S3Listing} at this store's list concurrency: fanned out by common prefix, every page, sorted
   * by URI.
   */
  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
    Objects.requireNonNull(prefixUri, "prefixUri");
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedException("list", prefixUri));
    }
    return S3Listing.builder().client(client).concurrency(listConcurrency).build().list(prefixUri)
        .thenApply(refs -> {
          List<ObjectInfo> infos = new ArrayList<>(refs.size());
          for (ObjectRef r : refs) {
            infos.add(new ObjectInfo(r.uri(), r.size(), r.etag()));
          }
          return infos;
        });
  }

  /** Whether GETs of {@code bucket} bypass the SDK client's pipeline ({@link DirectGet}). */
  boolean readsDirectly(String bucket) {
    return direct != null && direct.handles(bucket);
  }

  /** The client requests go through. */
  S3AsyncClient client() {
    return client;
  }

  private static boolean isPreconditionFailed(Throwable cause) {
    return cause instanceof SdkServiceException && ((SdkServiceException) cause).statusCode() == 412;
  }

  /**
   * Fails {@code result} for a GET pinned to an ETag that the object no longer has (HTTP 412), after a HEAD
   * (of the same version, if pinned to one) to learn the ETag it has now; S3 does not say in the 412.
   */
  private void reportChanged(ObjectRef ref, S3Uri s3, Throwable cause, CompletableFuture<StoredObject> result) {
    HeadObjectRequest.Builder head = HeadObjectRequest.builder().bucket(s3.bucket()).key(s3.key());
    if (ref.versionId() != null) {
      head.versionId(ref.versionId());
    }
    CompletableFuture<HeadObjectResponse> call;
    try {
      call = client.headObject(head.build());
    } catch (RuntimeException e) {
      result.completeExceptionally(changed(ref, "unknown (" + e + ")", cause));
      return;
    }
    call.whenComplete((response, error) -> {
      String found;
      if (error == null) {
        found = response.eTag() == null ? "no ETag" : "\"" + unquote(response.eTag()) + "\"";
      } else {
        Throwable headCause = unwrap(error);
        boolean gone = headCause instanceof NoSuchKeyException
            || (headCause instanceof SdkServiceException && ((SdkServiceException) headCause).statusCode() == 404);
        found = gone ? "none (the object was deleted since)" : "unknown (HEAD failed: " + describe(headCause) + ")";
      }
      result.completeExceptionally(changed(ref, found, cause));
    });
  }

  private static SluiceException changed(ObjectRef ref, String found, Throwable cause) {
    return new SluiceException("object " + ref.uri() + " changed: expected ETag \"" + ref.etag() + "\", found "
        + found + " (" + describe(cause) + ")", ref.uri(), false, cause);
  }

  private SluiceException readFailure(ObjectRef ref, Throwable error) {
    String uri = ref.uri();
    Throwable cause = unwrap(error);
    // Our own refusals (an object over maxObjectSize) may come back wrapped by the SDK.
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SluiceException sluice) {
        return sluice;
      }
    }
    if (isNoSuchBucket(cause)) {
      return new SluiceException("cannot read " + uri + ": bucket does not exist (" + describe(cause) + ")", uri,
          false, cause);
    }
    if (cause instanceof NoSuchKeyException
        || (cause instanceof SdkServiceException && ((SdkServiceException) cause).statusCode() == 404)) {
      return new ObjectNotFoundException(uri, cause);
    }
    if (cause instanceof SdkServiceException && ((SdkServiceException) cause).statusCode() == 412) {
      return new SluiceException("object " + uri + " changed: expected ETag \"" + ref.etag()
          + "\" but the store holds another version (" + describe(cause) + ")", uri, false, cause);
    }
    if (throttled(cause)) {
      return new ThrottledException("cannot read " + uri + ": " + describe(cause), uri, cause);
    }
    return new SluiceException("cannot read " + uri + ": " + describe(cause), uri, retryable(cause), cause);
  }

  /** Whether the store asked us to slow down: 503 SlowDown, 429, or an error code the SDK calls throttling. */
  static boolean throttled(Throwable cause) {
    if (cause instanceof SdkServiceException service) {
      String code = errorCode(service);
      return service.isThrottlingException() || service.statusCode() == 429 || "SlowDown".equals(code)
          || (service.statusCode() == 503 && code == null);
    }
    return false;
  }

  static SluiceException listFailure(String prefixUri, int page, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof SluiceException) {
      return (SluiceException) cause;
    }
    String what = isNoSuchBucket(cause) ? "bucket does not exist (" + describe(cause) + ")"
        : describe(cause);
    return new SluiceException("cannot list " + prefixUri + " (page " + page + "): " + what, prefixUri,
        retryable(cause), cause);
  }

  /**
   * Whether a later attempt could succeed: server errors (but not 501 Not Implemented), throttling, timeouts
   * and I/O failures; not other client errors (4xx) such as a denied or malformed request.
   */
  static boolean retryable(Throwable cause) {
    if (cause instanceof SdkServiceException) {
      SdkServiceException service = (SdkServiceException) cause;
      int status = service.statusCode();
      return (status >= 500 && status != 501) || status == 408 || status == 429 || service.isThrottlingException()
          || service.isClockSkewException() || "RequestTimeout".equals(errorCode(service));
    }
    if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
      return true;
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return cause instanceof SdkException && ((SdkException) cause).retryable();
  }

  /** The error code and status of a service error, or the type and message of any other failure. */
  private static String describe(Throwable cause) {
    if (cause instanceof SdkServiceException) {
      SdkServiceException service = (SdkServiceException) cause;
      String code = errorCode(service);
      return (code == null ? "error" : code) + ", HTTP " + service.statusCode();
    }
    if (cause instanceof SdkClientException && cause.getCause() != null) {
      return cause.getMessage() + " (" + cause.getCause() + ")";
    }
    return cause.toString();
  }

  private static boolean isNoSuchBucket(Throwable cause) {
    return cause instanceof NoSuchBucketException
        || (cause instanceof SdkServiceException && "NoSuchBucket".equals(errorCode((SdkServiceException) cause)));
  }

  private static String errorCode(SdkServiceException service) {
    if (service instanceof AwsServiceException && ((AwsServiceException) service).awsErrorDetails() != null) {
      return ((AwsServiceException) service).awsErrorDetails().errorCode();
    }
    return null;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private SluiceException closedException(String action, String uri) {
    return new SluiceException("cannot " + action + " " + uri + ": " + this + " is closed", uri, false, null);
  }

  /** Adds the double quotes HTTP puts around an entity tag, unless present or it is the {@code *} wildcard. */
  static String quote(String etag) {
    if (etag.equals("*") || (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\""))) {
      return etag;
    }
    return "\"" + etag + "\"";
  }

  /** Removes the double quotes around an entity tag, as S3 sends it; {@code null} stays {@code null}. */
  static String unquote(String etag) {
    if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
      return etag.substring(1, etag.length() - 1);
    }
    return etag;
  }

  /** Closes the client if this store created it; a user-supplied client stays open. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception e) {
          // closing: nothing left to report it to
        }
      }
    }
  }

  @Override
  public String toString() {
    return "S3ObjectStore{" + description + (closed.get() ? ", closed" : "") + "}";
  }
}
