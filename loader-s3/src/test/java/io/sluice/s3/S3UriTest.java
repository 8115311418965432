package io.sluice.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3UriTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "s3://bucket/key.jpg           | bucket     | key.jpg",
      "s3://my.bucket-1/a/b/c.jpeg   | my.bucket-1 | a/b/c.jpeg",
      "S3://bucket/Upper/Case.JPG    | bucket     | Upper/Case.JPG",
      "s3://bucket/dir/              | bucket     | dir/",
      "s3://bucket//leading-slash    | bucket     | /leading-slash",
      "s3://bucket/with space%20and?q=1#frag | bucket | with space%20and?q=1#frag",
  })
  void parsesBucketAndVerbatimKey(String uri, String bucket, String key) {
    S3Uri parsed = S3Uri.parse(uri);
    assertEquals(bucket, parsed.bucket());
    assertEquals(key, parsed.key());
    assertEquals("s3://" + bucket + "/" + key, parsed.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://bucket/key  | not an S3 URI",
      "s3:/bucket/key     | not an S3 URI",
      "bucket/key         | not an S3 URI",
      "s3a://bucket/key   | not an S3 URI",
      "s3:///key          | missing bucket",
      "s3://              | missing bucket",
      "s3://bucket        | empty key",
      "s3://bucket/       | empty key",
      "s3://buck et/key   | white space",
  })
  void rejectsBadUrisNamingThem(String uri, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Uri.parse(uri));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("'" + uri + "'"), e.getMessage());
  }

  @Test
  void prefixMayBeEmpty() {
    assertEquals(new S3Uri("bucket", ""), S3Uri.parsePrefix("s3://bucket"));
    assertEquals(new S3Uri("bucket", ""), S3Uri.parsePrefix("s3://bucket/"));
    assertEquals(new S3Uri("bucket", "images/cat"), S3Uri.parsePrefix("s3://bucket/images/cat"));
    assertThrows(IllegalArgumentException.class, () -> S3Uri.parsePrefix("s3:///images/"));
  }

  @Test
  void constructorValidatesParts() {
    assertThrows(NullPointerException.class, () -> new S3Uri(null, "k"));
    assertThrows(NullPointerException.class, () -> new S3Uri("b", null));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new S3Uri("a/b", "k")).getMessage()
        .contains("'a/b'"));
    assertThrows(IllegalArgumentException.class, () -> new S3Uri("", "k"));
    assertEquals("s3://b/x/y", new S3Uri("b", "x").resolve("x/y"));
  }
}
