package io.sluice.loader.internal;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectRef;
import io.sluice.loader.store.StoredObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches a whole object whose recorded size is above {@code threshold} as parallel ranged requests of
 * {@code partSize} bytes, and reassembles it; every part must carry the same ETag. Each part goes through the
 * layers below on its own (so each is retried on its own).
 */
final class RangeLayer implements FetchLayer {
  private final FetchLayer next;
  private final long threshold;
  private final long partSize;

  RangeLayer(FetchLayer next, long threshold, long partSize) {
    this.next = next;
    this.threshold = threshold;
    this.partSize = partSize;
  }

  @Override
  public CompletableFuture<StoredObject> fetch(FetchRequest request, FetchEvents events) {
    ObjectRef ref = request.ref();
    if (!request.isWhole() || ref.size() <= threshold) {
      return next.fetch(request, events);
    }
    long size = ref.size();
    if (size > Integer.MAX_VALUE - 16) {
      return CompletableFuture.failedFuture(new SluiceException("object " + ref.uri() + " has " + size
          + " bytes, more than one array can hold", ref.uri(), false, null));
    }
    int parts = (int) ((size + partSize - 1) / partSize);
    List<CompletableFuture<StoredObject>> pieces = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      long offset = i * partSize;
      pieces.add(next.fetch(new FetchRequest(ref, offset, Math.min(partSize, size - offset)), events));
    }
    CompletableFuture<StoredObject> result = CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new))
        .thenApply(unused -> reassemble(ref, pieces));
    result.whenComplete((v, e) -> {
      if (result.isCancelled()) {
        pieces.forEach(p -> p.cancel(true));
      }
    });
    return result;
  }

  private StoredObject reassemble(ObjectRef ref, List<CompletableFuture<StoredObject>> pieces) {
    long size = ref.size();
    byte[] whole = new byte[(int) size];
    String etag = pieces.get(0).join().etag();
    for (int i = 0; i < pieces.size(); i++) {
      StoredObject piece = pieces.get(i).join();
      long expected = Math.min(partSize, size - i * partSize);
      if (piece.size() != expected) {
        throw new SluiceException("ranged read of " + ref.uri() + " part " + i + " returned " + piece.size()
            + " bytes, expected " + expected, ref.uri(), true, null);
      }
      if (etag != null && !etag.equals(piece.etag())) {
        throw new SluiceException("object " + ref.uri() + " changed during a ranged read: ETag " + etag + " then "
            + piece.etag(), ref.uri(), true, null);
      }
      System.arraycopy(piece.bytes(), 0, whole, (int) (i * partSize), piece.size());
    }
    return new StoredObject(ref.uri(), whole, etag, ref.versionId());
  }
}
