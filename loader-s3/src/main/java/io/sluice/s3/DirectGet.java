package io.sluice.s3;

import io.sluice.loader.SluiceException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.awscore.endpoint.DualstackEnabledProvider;
import software.amazon.awssdk.awscore.endpoint.FipsEnabledProvider;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.EndpointAuthScheme;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * S3's GetObject without the SDK client's request pipeline: the request is built here, signed by the SDK's own
 * SigV4 signer ({@link AwsV4HttpSigner}) and sent on the SDK's own HTTP client ({@link SdkAsyncHttpClient}, CRT or
 * Netty), to the endpoint the SDK's own S3 endpoint rules ({@link S3EndpointProvider}) give for the bucket, with the
 * credentials of the SDK client's provider chain. What is left out is the generic machinery between them
 * (interceptors, execution attributes, auth-scheme resolution per request, marshalling a {@code GetObjectRequest}
 * and unmarshalling every header into a {@code GetObjectResponse}), which in this project's measurements cost more
 * CPU per 110 KB GET than the HTTP exchange itself (benchmarks/results/s3-client-cost.md).
 *
 * <p>It does what the SDK client does for a GetObject with one attempt: the {@code Range}, {@code If-Match} and
 * {@code versionId} of the store's reads; checksum mode on whole-object reads, validating a full-object CRC32,
 * CRC32C, CRC64NVME, SHA-1 or SHA-256 the response carries (as the SDK's default {@code WHEN_SUPPORTED} does);
 * service errors as {@link S3Exception}s with the error code and message of S3's XML error body, so the store
 * classifies them exactly as it does the SDK's; a clock-skew error moves the signing clock by the server's
 * {@code Date}, as the SDK does. Buckets whose endpoint rules ask for another signature than SigV4 (multi-region
 * access points, S3 Express directory buckets) are not handled here: {@link #handles} says no, and the store uses the
 * SDK client for them.
 *
 * <p>Completion callbacks run on {@code completion}, never on the HTTP client's I/O threads.
 */
final class DirectGet {
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final int ERROR_BODY_LIMIT = 64 * 1024;
  /** Checksum headers a GET may carry, in the order the SDK prefers them. */
  private static final List<Map.Entry<String, ChecksumAlgorithm>> CHECKSUMS = List.of(
      Map.entry("x-amz-checksum-crc32c", DefaultChecksumAlgorithm.CRC32C),
      Map.entry("x-amz-checksum-crc32", DefaultChecksumAlgorithm.CRC32),
      Map.entry("x-amz-checksum-crc64nvme", DefaultChecksumAlgorithm.CRC64NVME),
      Map.entry("x-amz-checksum-sha1", DefaultChecksumAlgorithm.SHA1),
      Map.entry("x-amz-checksum-sha256", DefaultChecksumAlgorithm.SHA256));
  private static final XMLInputFactory XML = xmlFactory();

  private final SdkAsyncHttpClient http;
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final Region region;
  private final URI endpointOverride;
  private final boolean pathStyle;
  private final long maxObjectSize;
  private final Executor completion;
  private final S3EndpointProvider endpoints = S3EndpointProvider.defaultProvider();
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final Map<String, Optional<Target>> targets = new ConcurrentHashMap<>();
  /** The clock requests are signed by: the system's, moved by the server's Date after a clock-skew error. */
  private volatile Clock signingClock = Clock.systemUTC();
  private final Boolean fips;
  private final Boolean dualStack;

  /** Where one bucket's requests go and how they are signed. */
  private record Target(URI base, String signingRegion, String signingName) {}

  /** A GET's outcome: the body and the headers the store needs. */
  record Response(byte[] body, long contentLength, String eTag, String versionId) {}

  DirectGet(SdkAsyncHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, Region region,
      URI endpointOverride, boolean pathStyle, long maxObjectSize, Executor completion) {
    this.http = http;
    this.credentials = credentials;
    this.region = region;
    this.endpointOverride = endpointOverride;
    this.pathStyle = pathStyle;
    this.maxObjectSize = maxObjectSize;
    this.completion = completion;
    this.fips = FipsEnabledProvider.builder().build().isFipsEnabled().orElse(null);
    this.dualStack = DualstackEnabledProvider.builder().build().isDualstackEnabled().orElse(null);
  }

  /** Whether this bucket's endpoint is signed with plain SigV4, so that this class can read from it. */
  boolean handles(String bucket) {
    return target(bucket).isPresent();
  }

  private Optional<Target> target(String bucket) {
    return targets.computeIfAbsent(bucket, this::resolve);
  }

  /** The SDK's endpoint rules for a GET in {@code bucket}; empty when they want a signature other than SigV4. */
  private Optional<Target> resolve(String bucket) {
    S3EndpointParams.Builder params = S3EndpointParams.builder().bucket(bucket).region(region)
        .forcePathStyle(pathStyle).useFips(fips).useDualStack(dualStack);
    if (endpointOverride != null) {
      params.endpoint(endpointOverride.toString());
    }
    Endpoint endpoint;
    try {
      endpoint = endpoints.resolveEndpoint(params.build()).join();
    } catch (RuntimeException e) {
      return Optional.empty(); // the SDK client will report the same problem, in its own words
    }
    List<EndpointAuthScheme> schemes = endpoint.attribute(AwsEndpointAttribute.AUTH_SCHEMES);
    if (schemes == null || schemes.isEmpty()) {
      return Optional.of(new Target(endpoint.url(), region.id(), "s3"));
    }
    if (schemes.get(0) instanceof SigV4AuthScheme v4 && "sigv4".equals(v4.name())
        && (endpoint.headers() == null || endpoint.headers().isEmpty())) {
      return Optional.of(new Target(endpoint.url(),
          v4.signingRegion() == null ? region.id() : v4.signingRegion(),
          v4.signingName() == null ? "s3" : v4.signingName()));
    }
    return Optional.empty();
  }

  /**
   * GETs {@code key} of {@code bucket}: the whole object ({@code offset < 0}) or a range, pinned to a version and an
   * ETag (already quoted) when given. Fails with an {@link S3Exception} for a service error, the HTTP client's
   * exception for a transport failure, or a {@link SluiceException} for an object over the size limit or a bad
   * checksum.
   */
  CompletableFuture<Response> get(String uri, String bucket, String key, long offset, long length, String versionId,
      String ifMatch) {
    Target target = target(bucket).orElseThrow(() -> new IllegalStateException("not a SigV4 bucket: " + bucket));
    URI base = target.base();
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
        .protocol(base.getScheme()).host(base.getHost()).port(base.getPort() < 0 ? null : base.getPort())
        .encodedPath((basePath.endsWith("/") ? basePath : basePath + "/") + SdkHttpUtils.urlEncodeIgnoreSlashes(key))
        .putHeader("x-amz-content-sha256", EMPTY_SHA256);
    if (versionId != null) {
      request.putRawQueryParameter("versionId", versionId);
    }
    if (offset >= 0) {
      request.putHeader("Range", "bytes=" + offset + "-" + (offset + length - 1));
    } else {
      request.putHeader("x-amz-checksum-mode", "ENABLED");
    }
    if (ifMatch != null) {
      request.putHeader("If-Match", ifMatch);
    }
    CompletableFuture<Response> result = new CompletableFuture<>();
    credentials.resolveIdentity().whenComplete((identity, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
        return;
      }
      SdkHttpRequest signed;
      try {
        Clock clock = signingClock;
        signed = signer.sign(s -> s.identity(identity).request(request.build())
            .putProperty(AwsV4HttpSigner.REGION_NAME, target.signingRegion())
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, target.signingName())
            .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
            .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
            .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      Exchange exchange = new Exchange(uri, offset < 0, result);
      CompletableFuture<Void> call;
      try {
        call = http.execute(AsyncExecuteRequest.builder().request(signed).requestContentPublisher(NoBody.INSTANCE)
            .responseHandler(exchange).build());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      call.whenComplete((unused, failure) -> {
        if (failure != null) {
          exchange.fail(failure);
        }
      });
      result.whenComplete((unused, failure) -> {
        if (result.isCancelled()) {
          call.cancel(true);
        }
      });
    });
    return result;
  }

  /** One request's response: headers, then the body collected into one array. */
  private final class Exchange implements SdkAsyncHttpResponseHandler, Subscriber<ByteBuffer> {
    private final String uri;
    private final boolean whole;
    private final CompletableFuture<Response> result;
    private final AtomicBoolean done = new AtomicBoolean();
    private SdkHttpResponse head;
    private long announced = -1;
    private boolean error;
    private Subscription subscription;
    private BodyBuffer body;
    private long errorBytes;

    Exchange(String uri, boolean whole, CompletableFuture<Response> result) {
      this.uri = uri;
      this.whole = whole;
      this.result = result;
    }

    @Override
    public void onHeaders(SdkHttpResponse response) {
      head = response;
      error = !response.isSuccessful();
      announced = response.firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L);
    }

    @Override
    public void onStream(Publisher<ByteBuffer> stream) {
      if (!error) {
        SluiceException refused = BodyBuffer.refuse(uri, announced, maxObjectSize);
        if (refused != null) {
          stream.subscribe(new BodyBuffer.Cancelling());
          fail(refused);
          return;
        }
      }
      // an error body is kept to its first ERROR_BODY_LIMIT bytes, for its code and message
      body = error ? new BodyBuffer(uri, -1, Long.MAX_VALUE) : new BodyBuffer(uri, announced, maxObjectSize);
      stream.subscribe(this);
    }

    @Override
    public void onError(Throwable failure) {
      fail(failure);
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer buffer) {
      if (done.get()) {
        return;
      }
      if (error) {
        errorBytes += buffer.remaining();
        if (errorBytes > ERROR_BODY_LIMIT) {
          return; // the start of an error body says what it is
        }
      }
      SluiceException refused = body.append(buffer);
      if (refused != null) {
        subscription.cancel();
        fail(refused);
      }
    }

    @Override
    public void onComplete() {
      if (done.get()) {
        return;
      }
      byte[] bytes = body.toArray();
      if (error) {
        fail(serviceError(head, bytes));
        return;
      }
      if (whole && bytes.length == announced) {
        SluiceException bad = checkChecksum(uri, head, bytes);
        if (bad != null) {
          fail(bad);
          return;
        }
      }
      Response response = new Response(bytes, announced,
          head.firstMatchingHeader("ETag").orElse(null), head.firstMatchingHeader("x-amz-version-id").orElse(null));
      if (done.compareAndSet(false, true)) {
        handOff(() -> result.complete(response));
      }
    }

    void fail(Throwable failure) {
      if (done.compareAndSet(false, true)) {
        handOff(() -> result.completeExceptionally(failure));
      }
    }
  }

  /** Runs a completion on the completion executor, or here once that has shut down (the store is closed). */
  private void handOff(Runnable completing) {
    try {
      completion.execute(completing);
    } catch (RejectedExecutionException e) {
      completing.run();
    }
  }

  /**
   * A non-2xx response as the SDK would raise it: an {@link S3Exception} with S3's error code and message; a clock
   * skew also moves the signing clock to the server's.
   */
  private S3Exception serviceError(SdkHttpResponse head, byte[] body) {
    String[] codeAndMessage = parseError(body);
    String code = codeAndMessage[0];
    String message = codeAndMessage[1];
    if (code == null && head.statusCode() == 404) {
      code = "NoSuchKey"; // a HEAD-like empty 404
    }
    S3Exception.Builder error = (S3Exception.Builder) S3Exception.builder()
        .statusCode(head.statusCode())
        .message((message == null ? "HTTP " + head.statusCode() : message) + " (Service: S3, Status Code: "
            + head.statusCode() + ")")
        .requestId(head.firstMatchingHeader("x-amz-request-id").orElse(null))
        .extendedRequestId(head.firstMatchingHeader("x-amz-id-2").orElse(null))
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3")
            .sdkHttpResponse(head).build());
    S3Exception built = (S3Exception) error.build();
    if (built.isClockSkewException()) {
      head.firstMatchingHeader("Date").ifPresent(date -> {
        try {
          long server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
          signingClock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(server - System.currentTimeMillis()));
        } catch (RuntimeException ignored) {
          // no usable Date: keep the clock
        }
      });
    }
    return built;
  }

  /** The {@code Code} and {@code Message} of S3's XML error body; nulls where absent or unreadable. */
  static String[] parseError(byte[] body) {
    String[] out = new String[2];
    if (body.length == 0) {
      return out;
    }
    try {
      XMLStreamReader xml = XML.createXMLStreamReader(new ByteArrayInputStream(body));
      try {
        int depth = 0;
        while (xml.hasNext()) {
          int event = xml.next();
          if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            String name = xml.getLocalName();
            if (depth == 2 && (name.equals("Code") || name.equals("Message"))) {
              out[name.equals("Code") ? 0 : 1] = xml.getElementText().trim();
              depth--;
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            depth--;
          }
        }
      } finally {
        xml.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      // not S3's XML (a proxy's HTML page, a truncated body): the status alone says what happened
    }
    return out;
  }

  /**
   * Validates a full-object checksum the response carries, as the SDK does in checksum mode; composite checksums
   * (of multipart uploads, {@code "...-N"}) cannot be checked against the body and are skipped, as the SDK skips them.
   * Returns the failure, or {@code null}.
   */
  static SluiceException checkChecksum(String uri, SdkHttpResponse head, byte[] body) {
    for (Map.Entry<String, ChecksumAlgorithm> c : CHECKSUMS) {
      Optional<String> expected = head.firstMatchingHeader(c.getKey());
      if (expected.isEmpty()) {
        continue;
      }
      String value = expected.get();
      if (value.contains("-")) {
        return null;
      }
      SdkChecksum sum = SdkChecksum.forAlgorithm(c.getValue());
      sum.update(body, 0, body.length);
      String actual = Base64.getEncoder().encodeToString(sum.getChecksumBytes());
      if (!actual.equals(value)) {
        return new SluiceException("cannot read " + uri + ": the body's " + c.getValue().algorithmId()
            + " checksum is " + actual + " but S3 sent " + value + " (corrupted in transit)", uri, true, null);
      }
      return null;
    }
    return null;
  }

  private static XMLInputFactory xmlFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return factory;
  }

  /** A GET's empty request body. */
  private enum NoBody implements SdkHttpContentPublisher {
    INSTANCE;

    @Override
    public Optional<Long> contentLength() {
      return Optional.of(0L);
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
      s.onSubscribe(new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
      s.onComplete();
    }
  }
}
