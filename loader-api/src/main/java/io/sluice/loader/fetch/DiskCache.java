package io.sluice.loader.fetch;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectCache#disk}: one file per object under {@code directory/ab/abcdef...} (a SHA-256 of the key),
 * least recently used out first.
 *
 * <p>A file holds a header (magic, URI, ETag, version id, size) and the bytes. It is written to a temporary
 * file and moved into place atomically, so readers see a whole entry or none. On read the header must match
 * the reference's URI, and its size and ETag where the reference records them; otherwise the entry is dropped
 * and the read is a miss. Reads and writes run on two daemon threads the cache owns.
 */
final class DiskCache implements ObjectCache {
  private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
  private static final String MAGIC = "SLUICE-CACHE-1";
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Path directory;
  private final long maxBytes;
  private final ExecutorService io;
  // Guarded by this: file name -> bytes on disk, in access order.
  private final LinkedHashMap<String, Long> index = new LinkedHashMap<>(1024, 0.75f, true);
  private long bytes;

  DiskCache(Path directory, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("disk cache size must be positive, was " + maxBytes);
    }
    this.directory = directory.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(this.directory);
      load();
    } catch (IOException e) {
      throw new SluiceException("cannot use disk cache directory " + this.directory + ": " + e, e);
    }
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.io = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sluice-disk-cache-" + pool + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Indexes the entries a previous run left, oldest first; removes temporary files of interrupted writes. */
  private void load() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory, 2)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    List<Map.Entry<Path, FileTime>> entries = new ArrayList<>();
    for (Path f : files) {
      if (f.getFileName().toString().startsWith(".tmp-")) {
        Files.deleteIfExists(f);
      } else if (f.getFileName().toString().length() == 64) {
        entries.add(Map.entry(f, Files.getLastModifiedTime(f)));
      }
    }
    entries.sort(Map.Entry.comparingByValue());
    synchronized (this) {
      for (Map.Entry<Path, FileTime> e : entries) {
        long size = Files.size(e.getKey());
        index.put(e.getKey().getFileName().toString(), size);
        bytes += size;
      }
    }
    evict();
  }

  static String fileName(ObjectRef ref) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(CacheKeys.key(ref).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  private Path path(String name) {
    return directory.resolve(name.substring(0, 2)).resolve(name);
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    String name = fileName(ref);
    synchronized (this) {
      if (index.get(name) == null) {
        return CompletableFuture.completedFuture(null);
      }
    }
    try {
      return CompletableFuture.supplyAsync(() -> read(ref, name), io);
    } catch (RejectedExecutionException closed) {
      return CompletableFuture.completedFuture(null);
    }
  }

  private StoredObject read(ObjectRef ref, String name) {
    Path file = path(name);
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      if (!MAGIC.equals(in.readUTF())) {
        return drop(name, "bad header");
      }
      String uri = in.readUTF();
      String etag = emptyToNull(in.readUTF());
      String versionId = emptyToNull(in.readUTF());
      long size = in.readLong();
      if (!uri.equals(ref.uri()) || size > Integer.MAX_VALUE) {
        return drop(name, "entry is for another key");
      }
      byte[] content = in.readNBytes((int) size);
      if (content.length != size || in.read() != -1) {
        return drop(name, "torn entry");
      }
      StoredObject object = new StoredObject(uri, content, etag, versionId);
      if (!CacheKeys.satisfies(ref, object)) {
        return drop(name, "stale: expected size " + ref.size() + " and ETag " + ref.etag() + ", cached " + size
            + " and " + etag);
      }
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
      return object;
    } catch (NoSuchFileException e) {
      forget(name);
      return null;
    } catch (IOException e) {
      return drop(name, e.toString());
    }
  }

  private StoredObject drop(String name, String why) {
    LOG.debug("dropping disk cache entry {}: {}", name, why);
    forget(name);
    try {
      Files.deleteIfExists(path(name));
    } catch (IOException e) {
      LOG.warn("cannot delete disk cache entry {}: {}", path(name), e.toString());
    }
    return null;
  }

  private synchronized void forget(String name) {
    Long size = index.remove(name);
    if (size != null) {
      bytes -= size;
    }
  }

  @Override
  public void put(ObjectRef ref, StoredObject object) {
    if (object.size() > maxBytes) {
      return;
    }
    String name = fileName(ref);
    synchronized (this) {
      if (index.containsKey(name)) {
        return;
      }
    }
    try {
      io.execute(() -> write(name, object));
    } catch (RejectedExecutionException closed) {
      // The cache is closed; nothing to do.
    }
  }

  private void write(String name, StoredObject object) {
    Path target = path(name);
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), ".tmp-", "");
      ByteArrayOutputStream header = new ByteArrayOutputStream(256);
      try (DataOutputStream h = new DataOutputStream(header)) {
        h.writeUTF(MAGIC);
        h.writeUTF(object.uri());
        h.writeUTF(object.etag() == null ? "" : object.etag());
        h.writeUTF(object.versionId() == null ? "" : object.versionId());
        h.writeLong(object.size());
      }
      try (OutputStream out = Files.newOutputStream(temp)) {
        header.writeTo(out);
        out.write(object.bytes());
      }
      long size = Files.size(temp);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      synchronized (this) {
        Long old = index.put(name, size);
        bytes += size - (old == null ? 0 : old);
      }
      evict();
    } catch (IOException e) {
      LOG.warn("cannot write disk cache entry for {}: {}", object.uri(), e.toString());
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // Best effort; load() removes leftovers next time.
        }
      }
    }
  }

  private void evict() {
    List<String> victims = new ArrayList<>();
    synchronized (this) {
      Iterator<Map.Entry<String, Long>> it = index.entrySet().iterator();
      while (bytes > maxBytes && it.hasNext()) {
        Map.Entry<String, Long> eldest = it.next();
        bytes -= eldest.getValue();
        victims.add(eldest.getKey());
        it.remove();
      }
    }
    for (String name : victims) {
      try {
        Files.deleteIfExists(path(name));
      } catch (IOException e) {
        LOG.warn("cannot delete disk cache entry {}: {}", path(name), e.toString());
      }
    }
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  @Override
  public synchronized long sizeBytes() {
    return bytes;
  }

  /** Waits for queued writes, then stops the threads. */
  @Override
  public void close() {
    io.shutdown();
    try {
      if (!io.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
        io.shutdownNow();
      }
    } catch (InterruptedException e) {
      io.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "disk cache " + directory + " (" + sizeBytes() + " of " + maxBytes + " bytes)";
  }
}
