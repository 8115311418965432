/**
 * A real S3 server inside the JVM, for tests, demos and benchmarks.
 *
 * <p>The front door is {@link io.sluice.s3.embedded.EmbeddedS3#builder()}. The server is
 * <a href="https://github.com/gaul/s3proxy">s3proxy</a> run in-process: it speaks the S3 REST protocol over
 * HTTP on the loopback interface and checks AWS Signature V4, so clients exercise the same code path they
 * use against AWS.
 */
package io.sluice.s3.embedded;
