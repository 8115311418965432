package io.sluice.s3;

import io.sluice.loader.SluiceException;
import io.sluice.loader.store.ObjectRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists every object under an S3 prefix, fanned out by common prefix: delimiter listings ({@code /}) discover the
 * "folders" below the prefix, level by level, until there are enough of them to keep {@link Builder#concurrency}
 * requests busy (or {@link Builder#depth} levels are discovered); then each of those folders is listed fully, every
 * page, {@code concurrency} folders at a time. Objects directly at a discovered level (not in a folder below it)
 * come from the delimiter listing of that level, so none is lost and none is listed twice.
 *
 * <pre>{@code
 * List<ObjectRef> all = S3Listing.builder()
 *     .store(store)                 // or .client(s3AsyncClient)
 *     .concurrency(16)              // prefixes listed at once; 1 lists page after page, as one ListObjectsV2 loop
 *     .build()
 *     .list("s3://bucket/images/")
 *     .join();
 * }</pre>
 *
 * <p>The result is sorted by URI (then version id), so it is the same whatever the timing, the concurrency or the
 * depth: equal to one sequential listing. Nothing blocks a thread: every request is asynchronous, and each next page
 * or next prefix is requested from the previous one's completion. The first failure (a denied request, a missing
 * bucket, a truncated page without a continuation token) fails the returned future with a {@link SluiceException}
 * naming the prefix and the page, and no further request is made; requests in flight finish and are ignored.
 *
 * <p>A layout with all its objects in one folder gains nothing from the fan-out: one prefix is listed page after page
 * (S3 gives no way to start a listing half-way through a prefix without knowing a key there). Instances are immutable
 * and thread-safe.
 */
public final class S3Listing {
  /** The delimiter of the "folders" the listing fans out over. */
  static final String DELIMITER = "/";
  static final int DEFAULT_CONCURRENCY = 16;
  static final int DEFAULT_DEPTH = 3;
  /** Discovery stops once there are this many prefixes per request in flight, to even out uneven folders. */
  static final int PREFIXES_PER_REQUEST = 4;

  private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::uri)
      .thenComparing(ObjectRef::versionId, Comparator.nullsFirst(Comparator.naturalOrder()));

  private final S3AsyncClient client;
  private final int concurrency;
  private final int depth;
  private final boolean versions;
  private final LongConsumer progress;

  private S3Listing(Builder b) {
    this.client = b.client;
    this.concurrency = b.concurrency;
    this.depth = b.depth;
    this.versions = b.versions;
    this.progress = b.progress;
  }

  /** Starts configuring a listing; a {@link Builder#client client} or {@link Builder#store store} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What discovery found under a root: the objects directly at the levels it listed with the delimiter, and the
   * prefixes (as {@code s3://bucket/prefix} URIs, sorted) still to be listed fully. Together they cover everything
   * under the root exactly once.
   *
   * @param root the listed root
   * @param objects the objects found while discovering, sorted
   * @param prefixes the prefixes to list fully, sorted
   */
  public record Plan(String root, List<ObjectRef> objects, List<String> prefixes) {
    /** Copies the lists. */
    public Plan {
      Objects.requireNonNull(root, "root");
      objects = List.copyOf(objects);
      prefixes = List.copyOf(prefixes);
    }
  }

  /**
   * Lists every object under {@code prefixUri} ({@code s3://bucket/prefix}; an empty prefix is the whole bucket),
   * following every page, fanned out as the class description says.
   *
   * @return the objects sorted by URI then version id; with {@link Builder#versions}, the latest version of each
   *     object that is not deleted, with its version id
   */
  public CompletableFuture<List<ObjectRef>> list(String prefixUri) {
    return plan(prefixUri).thenCompose(plan -> listFully(plan.prefixes()).thenApply(rest -> {
      List<ObjectRef> all = new ArrayList<>(plan.objects().size() + rest.size());
      all.addAll(plan.objects());
      all.addAll(rest);
      all.sort(ORDER);
      return all;
    }));
  }

  /**
   * Discovers the prefixes under {@code prefixUri} to list fully: with concurrency 1 or depth 0, the root itself;
   * otherwise the folders found by delimiter listings, level by level, until at least four per request in flight
   * exist, a level has no folders, or {@link Builder#depth} levels are listed. Depends on the bucket's content only,
   * never on timing.
   */
  public CompletableFuture<Plan> plan(String prefixUri) {
    Objects.requireNonNull(prefixUri, "prefixUri");
    S3Uri root;
    try {
      root = S3Uri.parsePrefix(prefixUri);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new SluiceException("cannot list " + prefixUri + ": " + e.getMessage(),
          prefixUri, false, e));
    }
    if (concurrency == 1 || depth == 0) {
      return CompletableFuture.completedFuture(new Plan(prefixUri, List.of(), List.of(root.toString())));
    }
    return discover(prefixUri, root.bucket(), List.of(root.key()), 1, new ArrayList<>());
  }

  /** Lists one level of {@code frontier} with the delimiter, then the next level or the plan. */
  private CompletableFuture<Plan> discover(String rootUri, String bucket, List<String> frontier, int level,
      List<ObjectRef> found) {
    return bounded(frontier, key -> pages(new S3Uri(bucket, key), DELIMITER)).thenCompose(levels -> {
      List<String> below = new ArrayList<>();
      for (Pages p : levels) {
        found.addAll(p.objects);
        below.addAll(p.prefixes);
      }
      below.sort(Comparator.naturalOrder());
      if (below.isEmpty() || level >= depth || below.size() >= PREFIXES_PER_REQUEST * concurrency) {
        found.sort(ORDER);
        List<String> uris = below.stream().map(k -> new S3Uri(bucket, k).toString()).toList();
        return CompletableFuture.completedFuture(new Plan(rootUri, found, uris));
      }
      return discover(rootUri, bucket, below, level + 1, found);
    });
  }

  /**
   * Lists each of {@code prefixUris} fully (every page, no delimiter), {@link Builder#concurrency} at a time.
   *
   * @return every object under any of them, sorted by URI then version id
   */
  public CompletableFuture<List<ObjectRef>> listFully(Collection<String> prefixUris) {
    List<S3Uri> prefixes = new ArrayList<>(prefixUris.size());
    for (String uri : prefixUris) {
      try {
        prefixes.add(S3Uri.parsePrefix(uri));
      } catch (IllegalArgumentException e) {
        return CompletableFuture.failedFuture(new SluiceException("cannot list " + uri + ": " + e.getMessage(),
            uri, false, e));
      }
    }
    return bounded(prefixes, p -> pages(p, null)).thenApply(lists -> {
      List<ObjectRef> all = new ArrayList<>();
      for (Pages p : lists) {
        all.addAll(p.objects);
      }
      all.sort(ORDER);
      return all;
    });
  }

  /** What the pages of one prefix held: objects, and (with a delimiter) the prefixes below it. */
  private static final class Pages {
    final List<ObjectRef> objects = new ArrayList<>();
    final List<String> prefixes = new ArrayList<>();
  }

  /** Where the next page of a truncated listing starts: a continuation token, or (versions) key and version markers. */
  private record Token(String continuation, String keyMarker, String versionIdMarker) {
    boolean missing() {
      return (continuation == null || continuation.isEmpty()) && (keyMarker == null || keyMarker.isEmpty());
    }
  }

  /** Every page of {@code prefix}, requested one after the other from the previous page's completion. */
  private CompletableFuture<Pages> pages(S3Uri prefix, String delimiter) {
    CompletableFuture<Pages> result = new CompletableFuture<>();
    page(prefix, delimiter, null, 1, new Pages(), result);
    return result;
  }

  private void page(S3Uri prefix, String delimiter, Token token, int page, Pages pages,
      CompletableFuture<Pages> result) {
    if (result.isDone()) {
      return;
    }
    String uri = prefix.toString();
    CompletableFuture<Token> call;
    try {
      call = versions ? versionsPage(prefix, delimiter, token, pages) : objectsPage(prefix, delimiter, token, pages);
    } catch (RuntimeException e) { // a closed or misconfigured client may throw instead of failing the future
      result.completeExceptionally(S3AsyncObjectStore.listFailure(uri, page, e));
      return;
    }
    call.whenComplete((next, error) -> {
      if (error != null) {
        result.completeExceptionally(S3AsyncObjectStore.listFailure(uri, page, error));
      } else if (next == null) {
        result.complete(pages);
      } else if (next.missing() || next.equals(token)) {
        result.completeExceptionally(new SluiceException("cannot list " + uri + ": page " + page
            + " is truncated but gives no new continuation token", uri, true, null));
      } else {
        page(prefix, delimiter, next, page + 1, pages, result);
      }
    });
  }

  private CompletableFuture<Token> objectsPage(S3Uri prefix, String delimiter, Token token, Pages pages) {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(prefix.bucket());
    if (!prefix.key().isEmpty()) {
      request.prefix(prefix.key());
    }
    if (delimiter != null) {
      request.delimiter(delimiter);
    }
    if (token != null) {
      request.continuationToken(token.continuation());
    }
    return client.listObjectsV2(request.build()).thenApply(response -> {
      int before = pages.objects.size();
      for (S3Object o : response.contents()) {
        pages.objects.add(new ObjectRef(prefix.resolve(o.key()), o.size() == null ? -1 : o.size(),
            S3AsyncObjectStore.unquote(o.eTag()), null));
      }
      addPrefixes(response.commonPrefixes(), pages);
      progress.accept(pages.objects.size() - before);
      if (!Boolean.TRUE.equals(response.isTruncated())) {
        return null;
      }
      return new Token(response.nextContinuationToken(), null, null);
    });
  }

  private CompletableFuture<Token> versionsPage(S3Uri prefix, String delimiter, Token token, Pages pages) {
    ListObjectVersionsRequest.Builder request = ListObjectVersionsRequest.builder().bucket(prefix.bucket());
    if (!prefix.key().isEmpty()) {
      request.prefix(prefix.key());
    }
    if (delimiter != null) {
      request.delimiter(delimiter);
    }
    if (token != null) {
      request.keyMarker(token.keyMarker()).versionIdMarker(token.versionIdMarker());
    }
    return client.listObjectVersions(request.build()).thenApply(response -> {
      int before = pages.objects.size();
      for (ObjectVersion v : response.versions()) {
        if (Boolean.TRUE.equals(v.isLatest())) { // a delete marker on top leaves the object out
          pages.objects.add(new ObjectRef(prefix.resolve(v.key()), v.size() == null ? -1 : v.size(),
              S3AsyncObjectStore.unquote(v.eTag()), v.versionId()));
        }
      }
      addPrefixes(response.commonPrefixes(), pages);
      progress.accept(pages.objects.size() - before);
      if (!Boolean.TRUE.equals(response.isTruncated())) {
        return null;
      }
      return new Token(null, response.nextKeyMarker(), response.nextVersionIdMarker());
    });
  }

  private static void addPrefixes(List<CommonPrefix> prefixes, Pages pages) {
    for (CommonPrefix p : prefixes) {
      pages.prefixes.add(p.prefix());
    }
  }

  /**
   * Runs {@code task} on every item, at most {@link #concurrency} at once, starting the next from a completion; the
   * results come in the items' order. The first failure fails the result and starts nothing more.
   */
  private <T, R> CompletableFuture<List<R>> bounded(List<T> items, Function<T, CompletableFuture<R>> task) {
    CompletableFuture<List<R>> all = new CompletableFuture<>();
    if (items.isEmpty()) {
      all.complete(List.of());
      return all;
    }
    AtomicReferenceArray<R> results = new AtomicReferenceArray<>(items.size());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger pumping = new AtomicInteger();
    Runnable pump = new Runnable() {
      @Override
      public void run() {
        // Whoever finds the pump busy leaves the work to the thread inside, which loops once more for it; so a
        // task that completes at once does not recurse.
        if (pumping.getAndIncrement() > 0) {
          return;
        }
        do {
          while (!all.isDone() && inFlight.get() < concurrency && next.get() < items.size()) {
            int i = next.getAndIncrement();
            inFlight.incrementAndGet();
            CompletableFuture<R> f;
            try {
              f = task.apply(items.get(i));
            } catch (RuntimeException e) {
              all.completeExceptionally(e);
              break;
            }
            f.whenComplete((r, e) -> {
              if (e != null) {
                all.completeExceptionally(e);
                return;
              }
              results.set(i, r);
              inFlight.decrementAndGet();
              if (done.incrementAndGet() == items.size()) {
                List<R> list = new ArrayList<>(items.size());
                for (int k = 0; k < items.size(); k++) {
                  list.add(results.get(k));
                }
                all.complete(list);
              } else {
                run();
              }
            });
          }
        } while (pumping.decrementAndGet() > 0);
      }
    };
    pump.run();
    return all;
  }

  @Override
  public String toString() {
    return "S3Listing{concurrency=" + concurrency + ", depth=" + depth + (versions ? ", versions" : "") + "}";
  }

  /** Configures an {@link S3Listing}. Not thread-safe. */
  public static final class Builder {
    private S3AsyncClient client;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int depth = DEFAULT_DEPTH;
    private boolean versions;
    private LongConsumer progress = n -> { };

    private Builder() {}

    /**
     * Sends the list requests through {@code client}; the caller keeps owning it. Required, or {@link #store}.
     *
     * @throws NullPointerException if {@code client} is null
     */
    public Builder client(S3AsyncClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Sends the list requests through the client of {@code store}. Required, or {@link #client}.
     *
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalArgumentException if {@code store} was not built by {@link S3ObjectStore#builder()}
     */
    public Builder store(S3ObjectStore store) {
      Objects.requireNonNull(store, "store");
      if (!(store instanceof S3AsyncObjectStore s)) {
        throw new IllegalArgumentException("store must come from S3ObjectStore.builder(), was " + store);
      }
      this.client = s.client();
      return this;
    }

    /**
     * Sets how many prefixes are listed at once, each one request at a time. {@code 1} lists the root page after
     * page, with no delimiter listings. Default 16.
     *
     * @throws IllegalArgumentException if {@code concurrency} is not between 1 and 1000
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 1000) {
        throw new IllegalArgumentException("list concurrency must be between 1 and 1000, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Sets how many levels of folders below the root discovery may list with the delimiter before listing the
     * prefixes found fully; it stops earlier once there are four prefixes per request in flight. {@code 0} lists
     * the root fully, page after page. Default 3.
     *
     * @throws IllegalArgumentException if {@code depth} is not between 0 and 100
     */
    public Builder depth(int depth) {
      if (depth < 0 || depth > 100) {
        throw new IllegalArgumentException("list depth must be between 0 and 100, was " + depth);
      }
      this.depth = depth;
      return this;
    }

    /**
     * Lists with ListObjectVersions instead of ListObjectsV2 and keeps the latest version of every object that is
     * not deleted, with its version id (versioned buckets). Default false.
     */
    public Builder versions(boolean versions) {
      this.versions = versions;
      return this;
    }

    /**
     * Tells {@code progress} how many more objects each page brought. It is called from the SDK's threads, several
     * at once, so it must be thread-safe (a progress bar's {@code stepBy} is). Default: nothing.
     *
     * @throws NullPointerException if {@code progress} is null
     */
    public Builder progress(LongConsumer progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * The listing.
     *
     * @throws IllegalStateException if neither a client nor a store was given
     */
    public S3Listing build() {
      if (client == null) {
        throw new IllegalStateException("a client or a store is required: the S3 to list");
      }
      return new S3Listing(this);
    }
  }
}
