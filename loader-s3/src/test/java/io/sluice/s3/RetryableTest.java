package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which failures the store marks retryable: those the real server in the other tests cannot produce. */
class RetryableTest {

  private static S3Exception service(int status, String code) {
    return (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
  }

  @Test
  void serverErrorsAndThrottlingAreRetryable() {
    assertTrue(S3AsyncObjectStore.retryable(service(500, "InternalError")));
    assertTrue(S3AsyncObjectStore.retryable(service(503, "SlowDown")));
    assertTrue(S3AsyncObjectStore.retryable(service(429, "TooManyRequests")));
    assertTrue(S3AsyncObjectStore.retryable(service(400, "RequestTimeout")));
  }

  @Test
  void clientErrorsAreNot() {
    assertFalse(S3AsyncObjectStore.retryable(service(403, "AccessDenied")));
    assertFalse(S3AsyncObjectStore.retryable(service(400, "InvalidArgument")));
    assertFalse(S3AsyncObjectStore.retryable(service(501, "NotImplemented")));
  }

  @Test
  void ioFailuresAndTimeoutsAreRetryable() {
    assertTrue(S3AsyncObjectStore.retryable(
        SdkClientException.create("Unable to execute HTTP request", new IOException("Connection reset"))));
    assertTrue(S3AsyncObjectStore.retryable(
        SdkClientException.create("Acquire operation took longer", new Throwable("acquire", new TimeoutException()))));
    assertTrue(S3AsyncObjectStore.retryable(ApiCallAttemptTimeoutException.create(2_000)));
    assertFalse(S3AsyncObjectStore.retryable(SdkClientException.create("Unable to load credentials")));
  }

  @Test
  void etagQuotes() {
    assertEquals("\"abc\"", S3AsyncObjectStore.quote("abc"));
    assertEquals("\"abc\"", S3AsyncObjectStore.quote("\"abc\""));
    assertEquals("abc", S3AsyncObjectStore.unquote("\"abc\""));
    assertEquals("abc", S3AsyncObjectStore.unquote("abc"));
    assertEquals(null, S3AsyncObjectStore.unquote(null));
  }
}
