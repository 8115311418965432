package io.sluice.s3;

import io.sluice.s3.embedded.EmbeddedS3;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Filling buckets of an {@link EmbeddedS3} for tests. */
final class TestBuckets {
  private TestBuckets() {}

  /** A path-style SDK client signed with the server's credentials. */
  static S3AsyncClient client(EmbeddedS3 s3) {
    return S3AsyncClient.builder().endpointOverride(s3.endpoint()).region(Region.of(s3.region()))
        .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())).forcePathStyle(true)
        .build();
  }

  /** Uploads every {@code s3://bucket/key -> bytes} entry concurrently and waits for all. */
  static void upload(S3AsyncClient sdk, Map<String, byte[]> objects) {
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      S3Uri uri = S3Uri.parse(e.getKey());
      puts.add(sdk.putObject(b -> b.bucket(uri.bucket()).key(uri.key()), AsyncRequestBody.fromBytes(e.getValue())));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
  }

  /** Starts a client, uploads, closes the client. */
  static void upload(EmbeddedS3 s3, Map<String, byte[]> objects) {
    try (S3AsyncClient sdk = client(s3)) {
      upload(sdk, objects);
    }
  }
}
