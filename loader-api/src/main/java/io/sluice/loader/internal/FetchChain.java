package io.sluice.loader.internal;

import io.sluice.loader.fetch.FetchPolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.store.ObjectStore;

/** Where the fetch layers are put together: the one place to read to know what a fetch goes through. */
public final class FetchChain {
  private FetchChain() {}

  /**
   * The chain, outermost first:
   *
   * <ol>
   *   <li>cache ({@link ObjectCache}, if one is given): a hit ends the fetch;
   *   <li>ranged reads: large objects (by their recorded size) become parallel part requests, if the store reads
   *       ranges;
   *   <li>retries with jittered backoff within the retry budget, and hedged twins of slow requests;
   *   <li>metering: every request that reaches the store, with its latency, bytes and throttling;
   *   <li>the store.
   * </ol>
   *
   * @param cache may be null
   * @param seed seeds the backoff jitter (timing only: it never changes which bytes a sample gets)
   */
  public static FetchLayer assemble(ObjectStore store, ObjectCache cache, FetchPolicy policy, EngineClock clock,
      long seed) {
    FetchLayer chain = new StoreLayer(store);
    chain = new MeterLayer(chain, clock);
    chain = new RetryLayer(chain, policy, clock, seed);
    if (store.supportsRanges()) {
      chain = new RangeLayer(chain, policy.rangeThreshold(), policy.rangePartSize());
    }
    if (cache != null) {
      chain = new CacheLayer(chain, cache);
    }
    return chain;
  }
}
