package io.sluice.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.s3.S3ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DescriptorsTest {

  @Test
  void descriptorRoundTripsThroughItsPath() {
    ShardBatch batch = new ShardBatch("0123abcd", 3, 1, 4, 10, 15, 12);
    assertEquals("sluice/0123abcd/epoch-3/shard-1-of-4/batches-10-15/batch-12", batch.path());
    assertEquals(batch, ShardBatch.parse(batch.path()));
    assertEquals(batch, ShardBatch.parse("file:/tmp/x/" + batch.path()));
    assertTrue(batch.sameRange(new ShardBatch("0123abcd", 3, 1, 4, 10, 15, 14)));
    assertFalse(batch.sameRange(new ShardBatch("0123abcd", 3, 2, 4, 10, 15, 12)));
  }

  @Test
  void refusesWhatIsNotADescriptor() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShardBatch.parse("hdfs://data/part-0001.bin"));
    assertTrue(e.getMessage().contains("hdfs://data/part-0001.bin"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ShardBatch("0123abcd", 0, 2, 2, 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ShardBatch("0123abcd", 0, 0, 2, 3, 3, 3));
  }

  @Test
  void storeSettingsSerialiseWithoutShowingCredentials() throws IOException {
    S3StoreSettings settings = S3StoreSettings.builder().endpoint(URI.create("http://127.0.0.1:9000"))
        .region("us-east-1").pathStyle(true).credentials("AKIAEXAMPLEACCESSKEY", "wJalrXUtnFEMI/K7MDENG/secret")
        .build();
    String text = settings.toString();
    assertFalse(text.contains("AKIAEXAMPLEACCESSKEY"), text);
    assertFalse(text.contains("wJalrXUtnFEMI"), text);
    assertTrue(text.contains("static"), text);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(settings);
    }
    assertTrue(bytes.size() > 0);
    assertThrows(IllegalArgumentException.class, () -> S3StoreSettings.builder().region("Not A Region"));
  }

  @Test
  void storeSettingsCarryTheHttpClientToEachExecutorsStore() {
    S3StoreSettings.Builder builder = S3StoreSettings.builder().endpoint(URI.create("http://127.0.0.1:9000"))
        .region("us-east-1");
    S3StoreSettings crt = builder.build();
    S3StoreSettings netty = builder.httpClient(S3ObjectStore.HttpClient.NETTY).build();
    assertNotEquals(crt, netty);
    assertTrue(netty.toString().contains("httpClient=NETTY"), netty.toString());
    try (S3ObjectStore store = crt.create()) {
      assertTrue(store.toString().contains("httpClient=CRT"), store.toString());
    }
    try (S3ObjectStore store = netty.create()) {
      assertTrue(store.toString().contains("httpClient=NETTY"), store.toString());
    }
    assertThrows(NullPointerException.class, () -> builder.httpClient(null));
  }
}
