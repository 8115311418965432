package io.sluice.s3;

import java.time.Duration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;

/**
 * The CRT HTTP client, in a class of its own so that a store built with {@link S3ObjectStore.HttpClient#NETTY} runs
 * without {@code aws-crt-client} on the class path (an application may exclude it, and its 24 MB native jar).
 */
final class CrtHttp {
  private static final String CLASS = "software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient";

  private CrtHttp() {}

  /**
   * A builder of the CRT client with {@code maxConnections} connections, closing a connection with a request in flight
   * once it has received less than a byte a second for {@code readTimeout}: the CRT has no read timeout, so without
   * this a server that stops sending would hold the request, and its connection, for ever.
   *
   * @throws IllegalStateException if {@code aws-crt-client} is not on the class path
   */
  static SdkAsyncHttpClient.Builder<?> builder(int maxConnections, Duration readTimeout) {
    try {
      Class.forName(CLASS, false, CrtHttp.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("httpClient(CRT) needs software.amazon.awssdk:aws-crt-client (at the AWS SDK's "
          + "version) and its native software.amazon.awssdk.crt:aws-crt on the class path; " + CLASS
          + " was not found (httpClient(NETTY) does without them)", e);
    }
    return AwsCrtAsyncHttpClient.builder().maxConcurrency(maxConnections)
        .connectionHealthConfiguration(h -> h.minimumThroughputInBps(1L).minimumThroughputTimeout(readTimeout));
  }
}
