package io.sluice.loader.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCacheTest {

  private static StoredObject object(String uri, int size, String etag) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (uri.hashCode() + i);
    }
    return new StoredObject(uri, b, etag, null);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void storesAndServesAcrossRestartsInsideItsDirectory(@TempDir Path dir) throws IOException {
    ObjectRef ref = ObjectRef.of("s3://b/../../../../etc/passwd");
    StoredObject obj = object(ref.uri(), 1000, "e1");
    try (ObjectCache cache = ObjectCache.disk(dir, 1 << 20)) {
      assertNull(cache.get(ref).join());
      cache.put(ref, obj);
    } // close waits for the write
    List<Path> written = files(dir);
    assertEquals(1, written.size());
    Path file = written.get(0);
    assertTrue(file.startsWith(dir), "written inside the cache directory: " + file);
    assertTrue(file.getFileName().toString().matches("[0-9a-f]{64}"), "named by a SHA-256: " + file);
    try (ObjectCache reopened = ObjectCache.disk(dir, 1 << 20)) {
      StoredObject back = reopened.get(ref).join();
      assertArrayEquals(obj.bytes(), back.bytes());
      assertEquals("e1", back.etag());
      assertEquals(1000 + 0, back.size());
      assertTrue(reopened.sizeBytes() > 1000);
    }
  }

  @Test
  void staleOrTornEntriesAreMissesAndRemoved(@TempDir Path dir) throws IOException {
    ObjectRef ref = ObjectRef.of("s3://b/k");
    try (ObjectCache cache = ObjectCache.disk(dir, 1 << 20)) {
      cache.put(ref, object("s3://b/k", 100, "old"));
    }
    try (ObjectCache cache = ObjectCache.disk(dir, 1 << 20)) {
      assertNull(cache.get(new ObjectRef("s3://b/k", 100, "new", null)).join(), "another ETag is a miss");
      assertEquals(0, files(dir).size(), "and the stale entry is gone");
      cache.put(ref, object("s3://b/k", 100, "old"));
    }
    Path file = files(dir).get(0);
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 10));
    try (ObjectCache cache = ObjectCache.disk(dir, 1 << 20)) {
      assertNull(cache.get(ref).join(), "a torn file is a miss");
      assertNull(cache.get(new ObjectRef("s3://b/k", 99, null, null)).join());
    }
  }

  @Test
  void evictsLeastRecentlyUsedAboveTheBound(@TempDir Path dir) throws IOException {
    try (ObjectCache cache = ObjectCache.disk(dir, 3500)) {
      for (int i = 0; i < 3; i++) {
        cache.put(ObjectRef.of("s3://b/" + i), object("s3://b/" + i, 1000, null));
      }
    }
    // A restart orders entries by last use (file modification time): make 0 the oldest, then 1, then 2.
    long base = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < 3; i++) {
      String name = DiskCache.fileName(ObjectRef.of("s3://b/" + i));
      Files.setLastModifiedTime(dir.resolve(name.substring(0, 2)).resolve(name),
          java.nio.file.attribute.FileTime.fromMillis(base + i * 1000));
    }
    try (ObjectCache cache = ObjectCache.disk(dir, 3500)) {
      assertTrue(cache.get(ObjectRef.of("s3://b/0")).join() != null); // 0 is now the most recently used
      cache.put(ObjectRef.of("s3://b/3"), object("s3://b/3", 1000, null));
    }
    try (ObjectCache cache = ObjectCache.disk(dir, 3500)) {
      assertTrue(cache.sizeBytes() <= 3500, "size " + cache.sizeBytes());
      assertNull(cache.get(ObjectRef.of("s3://b/1")).join(), "1 was least recently used");
      assertTrue(cache.get(ObjectRef.of("s3://b/0")).join() != null);
      assertTrue(cache.get(ObjectRef.of("s3://b/2")).join() != null);
      assertTrue(cache.get(ObjectRef.of("s3://b/3")).join() != null);
    }
  }

  @Test
  void leftoverTemporaryFilesAreCleanedUp(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("ab"));
    Files.write(dir.resolve("ab/.tmp-123"), new byte[10]);
    try (ObjectCache cache = ObjectCache.disk(dir, 1000)) {
      assertEquals(0, cache.sizeBytes());
    }
    assertEquals(List.of(), files(dir));
  }

  @Test
  void memoryCacheIsBoundedByWeight() {
    ObjectCache cache = ObjectCache.memory(10_000);
    for (int i = 0; i < 50; i++) {
      cache.put(ObjectRef.of("s3://b/" + i), object("s3://b/" + i, 1000, null));
    }
    assertTrue(cache.sizeBytes() <= 10_000, "size " + cache.sizeBytes());
    cache.put(ObjectRef.of("s3://b/big"), object("s3://b/big", 20_000, null));
    assertNull(cache.get(ObjectRef.of("s3://b/big")).join(), "larger than the whole cache: not kept");
    cache.put(ObjectRef.of("s3://b/tagged"), object("s3://b/tagged", 100, "e"));
    assertTrue(cache.get(new ObjectRef("s3://b/tagged", 100, "e", null)).join() != null);
    assertNull(cache.get(new ObjectRef("s3://b/tagged", 100, "other", null)).join(),
        "an entry with another ETag than expected is a miss");
  }
}
