/**
 * Reading training data from Amazon S3 and S3-compatible servers.
 *
 * <p>The front door is {@link io.sluice.s3.S3ObjectStore#create()} or {@link io.sluice.s3.S3ObjectStore#builder()};
 * {@link io.sluice.s3.S3Uri} parses {@code s3://bucket/key} URIs. Tests run against a real S3 server in the
 * same JVM, {@code io.sluice.s3.embedded.EmbeddedS3} from the {@code loader-s3-embedded} module.
 */
package io.sluice.s3;
