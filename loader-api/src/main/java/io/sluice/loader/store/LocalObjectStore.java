package io.sluice.loader.store;

import io.sluice.loader.SluiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** An {@link ObjectStore} over local files; reads run on a small pool of daemon threads it owns. */
final class LocalObjectStore implements ObjectStore {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Path root;
  private final ExecutorService io;

  LocalObjectStore(Path root) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.io = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "sluice-local-io-" + pool + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletableFuture<StoredObject> get(ObjectRef ref) {
    Objects.requireNonNull(ref, "ref");
    return CompletableFuture.supplyAsync(() -> read(ref), io);
  }

  private StoredObject read(ObjectRef ref) {
    Path path = resolve(ref.uri());
    try {
      byte[] bytes = Files.readAllBytes(path);
      if (ref.size() >= 0 && ref.size() != bytes.length) {
        throw new SluiceException("object " + ref.uri() + " changed: expected " + ref.size() + " bytes, found "
            + bytes.length, ref.uri(), false, null);
      }
      return new StoredObject(ref.uri(), bytes, null, null);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(ref.uri(), e);
    } catch (IOException e) {
      throw new SluiceException("cannot read " + ref.uri() + ": " + e, ref.uri(), false, e);
    }
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefixUri) {
    return CompletableFuture.supplyAsync(() -> listNow(prefixUri), io);
  }

  private List<ObjectInfo> listNow(String prefixUri) {
    Path base = resolve(prefixUri);
    // A prefix need not end at a directory boundary: walk its parent and filter by the URI prefix.
    Path dir = Files.isDirectory(base) && prefixUri.endsWith("/") ? base : base.getParent();
    List<ObjectInfo> out = new ArrayList<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    String uriBase = prefixUri.substring(0, prefixUri.length() - relativeTail(prefixUri, base, dir).length());
    try (Stream<Path> files = Files.walk(dir)) {
      boolean fileUris = prefixUri.startsWith("file:");
      files.filter(Files::isRegularFile).forEach(p -> {
        // file: URIs are percent-encoded (as get() expects); s3:// URIs carry keys as they are.
        String uri = fileUris ? p.toUri().toString()
            : uriBase + dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        if (uri.startsWith(prefixUri)) {
          try {
            out.add(new ObjectInfo(uri, Files.size(p), null));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    } catch (IOException | UncheckedIOException e) {
      throw new SluiceException("cannot list " + prefixUri + ": " + e, prefixUri, false, e);
    }
    out.sort((a, b) -> a.uri().compareTo(b.uri()));
    return out;
  }

  /** The part of {@code prefixUri} that names {@code base} below {@code dir} (empty when they are equal). */
  private static String relativeTail(String prefixUri, Path base, Path dir) {
    if (base.equals(dir)) {
      return "";
    }
    String tail = dir.relativize(base).toString();
    return prefixUri.endsWith(tail) ? tail : "";
  }

  Path resolve(String uri) {
    Path path;
    if (uri.startsWith("file:")) {
      path = Path.of(URI.create(uri));
    } else if (uri.startsWith("s3://")) {
      String rest = uri.substring("s3://".length());
      path = root.resolve(rest);
    } else if (uri.contains("://")) {
      throw new SluiceException("local store cannot read " + uri + ": only file: and s3:// URIs are supported",
          uri, false, null);
    } else {
      path = root.resolve(uri);
    }
    path = path.toAbsolutePath().normalize();
    if (!uri.startsWith("file:") && !path.startsWith(root)) {
      throw new SluiceException("key " + uri + " escapes the store root", uri, false, null);
    }
    return path;
  }

  @Override
  public void close() {
    io.shutdownNow();
  }

  @Override
  public String toString() {
    return "LocalObjectStore{" + root + "}";
  }
}
