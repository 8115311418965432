package io.sluice.s3;

import java.util.Objects;

/**
 * The bucket and key of an {@code s3://bucket/key} URI.
 *
 * <p>The key is everything after the first {@code /} following the bucket, taken verbatim: S3 URIs are not
 * percent-encoded, so {@code s3://photos/cats/my cat.jpg} names the key {@code cats/my cat.jpg}. The scheme
 * is matched without regard to case.
 *
 * @param bucket the bucket name, never empty
 * @param key the object key; empty only for a prefix that covers the whole bucket
 */
public record S3Uri(String bucket, String key) {
  private static final String SCHEME = "s3://";

  /**
   * Validates the parts.
   *
   * @throws NullPointerException if either part is null
   * @throws IllegalArgumentException if the bucket is empty or contains {@code /} or white space
   */
  public S3Uri {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("bucket must not be empty (key '" + key + "')");
    }
    if (bucket.indexOf('/') >= 0 || bucket.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("bucket must not contain '/' or white space, was '" + bucket + "'");
    }
  }

  /**
   * Parses the URI of one object, {@code s3://bucket/key}.
   *
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if {@code uri} does not start with {@code s3://}, has no bucket or has
   *     an empty key; the message quotes {@code uri}
   */
  public static S3Uri parse(String uri) {
    S3Uri parsed = parsePrefix(uri);
    if (parsed.key.isEmpty()) {
      throw new IllegalArgumentException("empty key in '" + uri + "': expected s3://bucket/key");
    }
    return parsed;
  }

  /**
   * Parses a listing prefix, {@code s3://bucket/prefix}; the prefix may be empty ({@code s3://bucket} or
   * {@code s3://bucket/}) to cover the whole bucket.
   *
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if {@code uri} does not start with {@code s3://} or has no bucket; the
   *     message quotes {@code uri}
   */
  public static S3Uri parsePrefix(String uri) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new IllegalArgumentException("not an S3 URI: '" + uri + "': expected s3://bucket/key");
    }
    int slash = uri.indexOf('/', SCHEME.length());
    String bucket = slash < 0 ? uri.substring(SCHEME.length()) : uri.substring(SCHEME.length(), slash);
    String key = slash < 0 ? "" : uri.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("missing bucket in '" + uri + "': expected s3://bucket/key");
    }
    if (bucket.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("bucket must not contain white space in '" + uri + "'");
    }
    return new S3Uri(bucket, key);
  }

  /** The URI of {@code key} in this bucket, {@code s3://bucket/key}. */
  public String resolve(String key) {
    return SCHEME + bucket + "/" + Objects.requireNonNull(key, "key");
  }

  /** This URI in canonical form, {@code s3://bucket/key} (a lower-case scheme). */
  @Override
  public String toString() {
    return resolve(key);
  }
}
