package io.sluice.s3;

import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;

/**
 * The CRT HTTP client, in a class of its own so that only {@link S3ObjectStore.HttpClient#CRT} needs
 * {@code aws-crt-client} on the class path.
 */
final class CrtHttp {
  private static final String CLASS = "software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient";

  private CrtHttp() {}

  /**
   * A builder of the CRT client with {@code maxConnections} connections.
   *
   * @throws IllegalStateException if {@code aws-crt-client} is not on the class path
   */
  static SdkAsyncHttpClient.Builder<?> builder(int maxConnections) {
    try {
      Class.forName(CLASS, false, CrtHttp.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("httpClient(CRT) needs software.amazon.awssdk:aws-crt-client (at the AWS SDK's "
          + "version) and its native software.amazon.awssdk.crt:aws-crt on the class path; " + CLASS
          + " was not found", e);
    }
    return AwsCrtAsyncHttpClient.builder().maxConcurrency(maxConnections);
  }
}
