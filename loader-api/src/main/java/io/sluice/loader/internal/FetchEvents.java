package io.sluice.loader.internal;

/**
 * What the fetch layers report while fetching one object: every request sent to the store, retries, hedges and
 * cache lookups. The engine hands each object's fetch its own sink, which forwards to the loader's and the epoch's
 * statistics and remembers, for the concurrency limit, whether the store throttled the object.
 */
public interface FetchEvents {

  /** One request to the store finished (not cancelled): how long it took, the bytes it brought, whether throttled. */
  void request(long latencyNanos, long bytes, boolean throttled);

  /** A request is re-sent after a retryable failure. */
  void retry();

  /** A second request is sent for a slow one. */
  void hedge();

  /** A cache lookup hit or missed. */
  void cache(boolean hit);

  /** Records nothing. */
  FetchEvents NONE = new FetchEvents() {
    @Override
    public void request(long latencyNanos, long bytes, boolean throttled) {}

    @Override
    public void retry() {}

    @Override
    public void hedge() {}

    @Override
    public void cache(boolean hit) {}
  };
}
