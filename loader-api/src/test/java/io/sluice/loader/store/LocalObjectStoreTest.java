package io.sluice.loader.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {

  @Test
  void readsS3UrisFromAMirrorAndFileUris(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("bucket/cats"));
    Files.write(root.resolve("bucket/cats/1.jpg"), new byte[] {1, 2, 3});
    try (ObjectStore store = ObjectStore.localFiles(root)) {
      assertArrayEquals(new byte[] {1, 2, 3}, store.get(ObjectRef.of("s3://bucket/cats/1.jpg")).join().bytes());
      String fileUri = root.resolve("bucket/cats/1.jpg").toUri().toString();
      assertEquals(3, store.get(ObjectRef.of(fileUri)).join().size());
    }
  }

  @Test
  void missingObjectAndEscapingKeyFailNamingTheKey(@TempDir Path root) {
    try (ObjectStore store = ObjectStore.localFiles(root)) {
      CompletionException missing = assertThrows(CompletionException.class,
          () -> store.get(ObjectRef.of("s3://bucket/none.jpg")).join());
      assertInstanceOf(ObjectNotFoundException.class, missing.getCause());
      assertTrue(missing.getCause().getMessage().contains("s3://bucket/none.jpg"));
      CompletionException escape = assertThrows(CompletionException.class,
          () -> store.get(ObjectRef.of("s3://bucket/../../etc/passwd")).join());
      assertInstanceOf(SluiceException.class, escape.getCause());
      assertTrue(escape.getCause().getMessage().contains("escapes the store root"), escape.getCause().getMessage());
    }
  }

  @Test
  void sizeMismatchIsReported(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("b"));
    Files.write(root.resolve("b/k"), new byte[10]);
    try (ObjectStore store = ObjectStore.localFiles(root)) {
      CompletionException e = assertThrows(CompletionException.class,
          () -> store.get(new ObjectRef("s3://b/k", 11, null, null)).join());
      assertTrue(e.getCause().getMessage().contains("expected 11 bytes, found 10"), e.getCause().getMessage());
    }
  }

  @Test
  void listsByPrefixInOrder(@TempDir Path root) throws Exception {
    for (String k : List.of("b/img/dog/2.jpg", "b/img/cat/1.jpg", "b/img/cat/0.jpg", "b/other/x", "b/imgs/y")) {
      Files.createDirectories(root.resolve(k).getParent());
      Files.write(root.resolve(k), new byte[] {7});
    }
    try (ObjectStore store = ObjectStore.localFiles(root)) {
      List<String> uris = store.list("s3://b/img/").join().stream().map(ObjectInfo::uri).toList();
      assertEquals(List.of("s3://b/img/cat/0.jpg", "s3://b/img/cat/1.jpg", "s3://b/img/dog/2.jpg"), uris);
      List<String> partial = store.list("s3://b/img").join().stream().map(ObjectInfo::uri).toList();
      assertEquals(4, partial.size(), partial.toString());
      assertEquals(1, store.list("s3://b/img/cat/1").join().size());
    }
  }

  @Test
  void fileUrisFromAListingCanBeRead(@TempDir Path root) throws Exception {
    Path dir = root.resolve("im ages/caf\u00e9");
    Files.createDirectories(dir);
    Files.write(dir.resolve("a b.jpg"), new byte[] {9, 8});
    try (ObjectStore store = ObjectStore.localFiles(root)) {
      List<ObjectInfo> listed = store.list(root.resolve("im ages").toUri().toString()).join();
      assertEquals(1, listed.size());
      assertArrayEquals(new byte[] {9, 8}, store.get(ObjectRef.of(listed.get(0).uri())).join().bytes());
    }
  }
}
