package io.sluice.loader.internal;

import io.sluice.loader.Batch;
import io.sluice.loader.BatchIterator;
import io.sluice.loader.Entry;
import io.sluice.loader.EpochPlan;
import io.sluice.loader.Features;
import io.sluice.loader.LoaderState;
import io.sluice.loader.LoaderStats;
import io.sluice.loader.SampleContext;
import io.sluice.loader.SluiceException;
import io.sluice.loader.Target;
import io.sluice.loader.Transform;
import io.sluice.loader.fetch.FailurePolicy;
import io.sluice.loader.fetch.ObjectCache;
import io.sluice.loader.fetch.SkippedSample;
import io.sluice.loader.manifest.EntryAttributes;
import io.sluice.loader.manifest.Manifest;
import io.sluice.loader.store.StoredObject;
import io.sluice.loader.store.ObjectRef;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoch in progress, put together from its parts: the {@link Prefetcher} issues fetches in reading order,
 * the worker pool runs the transform chain into batch rows (dispatch, here), the {@link HandOver} places rows and
 * hands complete batches out in order.
 *
 * <p>Bounds: fetches in flight and bytes held are limited loader-wide by the {@link FetchLimiter}; no sample
 * starts more than {@code prefetchBatches} batches ahead of the consumer.
 */
public final class EpochRun implements BatchIterator {
  private static final Logger LOG = LoggerFactory.getLogger(EpochRun.class);

  /** What an epoch reads and how: the parts of the loader's settings an epoch needs. */
  public record Recipe(Manifest manifest, Transform<? super StoredObject, ? extends Features> transform, int batchSize,
      long seed, int prefetchBatches, boolean ordered, FailurePolicy failurePolicy, PrefixPlan prefixPlan,
      ObjectCache prefixCache, List<Target> targets, List<Target> extraInputs, EntryAttributes attributes,
      boolean uint8Features) {

    /** {@code targets} null means the default: the label one-hot. */
    public Recipe {
      targets = targets == null ? null : List.copyOf(targets);
      extraInputs = List.copyOf(extraInputs);
    }
  }

  /** The loader-wide parts an epoch shares with the others. */
  public record Shared(FetchLimiter limiter, FetchLayer chain, Executor workers, Executor issuer,
      BatchMemory memory, StatsRecorder stats, Consumer<SkippedSample> skipLog, Consumer<long[]> shapeSeen) {}

  private final Recipe recipe;
  private final Shared shared;
  private final int epoch;
  private final EpochPlan plan;
  private final int[] order;
  private final StatsRecorder stats;
  private final HandOver handOver;
  private final Prefetcher prefetcher;
  private final IntFunction<LoaderState> stateAt;
  private final Runnable pumpListener = this::pump;
  private final AtomicLong skipped = new AtomicLong();
  private volatile Runnable onClose = () -> {};
  // The epoch read before this one while this one starts early (null once the consumer has this one), and the epoch
  // started early after this one: see startAfter.
  private volatile EpochRun previous;
  private volatile EpochRun following;

  /**
   * @param stateAt the resume state once {@code n} samples of this rank's plan are read, or {@code null} when
   *     this epoch cannot be resumed (unordered)
   */
  public EpochRun(Recipe recipe, Shared shared, int epoch, EpochPlan plan, IntFunction<LoaderState> stateAt) {
    this.recipe = recipe;
    this.shared = shared;
    this.epoch = epoch;
    this.plan = plan;
    this.order = plan.indices();
    this.stateAt = stateAt;
    this.stats = new StatsRecorder(shared.stats(), shared.limiter()::limit);
    int classes = recipe.manifest().labels().size();
    this.handOver = new HandOver(epoch, order.length, recipe.batchSize(), recipe.ordered(),
        number -> new BatchSlot(epoch, number, Math.min(recipe.batchSize(), order.length - number * recipe.batchSize()),
            classes, recipe.extraInputs().size(), recipe.targets() == null ? -1 : recipe.targets().size(),
            recipe.uint8Features(), shared.memory(), stats));
    this.prefetcher = new Prefetcher(recipe.manifest(), order, shared.limiter(), shared.chain(), stats,
        new Prefetcher.Sink() {
          @Override
          public void arrived(int position, StoredObject object, boolean prefixed,
              Map<String, StoredObject> companions, FetchLimiter.Permit permit) {
            dispatch(position, object, prefixed, companions, permit);
          }

          @Override
          public void failed(int position, Throwable error, FetchLimiter.Permit permit) {
            finished(position, handOver.place(position), permit, error);
          }
        }, recipe.prefixCache() == null ? null : ref -> recipe.prefixPlan().lookup(recipe.prefixCache(), ref),
        recipe.targets() == null && recipe.extraInputs().isEmpty() ? null : this::companionsOf);
  }

  /** Runs {@code action} once the epoch is closed. */
  public void onClose(Runnable action) {
    this.onClose = action;
  }

  /** Starts fetching and listens for capacity. */
  public EpochRun start() {
    shared.limiter().listen(pumpListener);
    pump();
    return this;
  }

  /**
   * Starts this epoch early, behind {@code previous}: once {@code previous} has issued all of its fetches, this one
   * takes the part of the consumer's window that reaches past {@code previous}'s last batch, so its first batches
   * are ready when the consumer moves on. The window is the same: no more than {@code prefetchBatches} batches
   * ahead of the consumer in the two epochs together. {@link #adopt} when the consumer asks for this epoch.
   */
  public EpochRun startAfter(EpochRun previous) {
    this.previous = previous;
    previous.following = this;
    return start();
  }

  /** The consumer reads this epoch now: it gets the whole window of its own. */
  public EpochRun adopt() {
    previous = null;
    pump();
    return this;
  }

  /**
   * How many batches of the consumer's window reach past this epoch's last batch once every fetch of this epoch is
   * issued (0 before), for the epoch started early after it.
   */
  private int spill() {
    if (!prefetcher.issuedAll()) {
      return 0;
    }
    return Math.max(0, handOver.consumed() + recipe.prefetchBatches() - handOver.batches());
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public int batches() {
    return handOver.batches();
  }

  @Override
  public LoaderStats stats() {
    return stats.snapshot();
  }

  @Override
  public LoaderState state() {
    if (stateAt == null) {
      throw new IllegalStateException("an unordered loader cannot be resumed exactly: which samples it has "
          + "handed out depends on timing; build it with ordered(true) to take its state");
    }
    return stateAt.apply((int) Math.min((long) handOver.consumed() * recipe.batchSize(), order.length));
  }

  /** Starts what the window and the limiter allow now. */
  void pump() {
    EpochRun before = previous;
    int batchesAhead = before == null ? handOver.consumed() + recipe.prefetchBatches() : before.spill();
    prefetcher.pump(batchesAhead * recipe.batchSize());
  }

  /** Pumps this epoch, then the one started early after it (taking a batch widens its share of the window). */
  private void pumpWithFollowing() {
    pump();
    EpochRun next = following;
    if (next != null) {
      next.pump();
    }
  }

  /** Dispatch: runs the transform chain for one fetched sample on the worker pool. */
  private void dispatch(int position, StoredObject object, boolean prefixed, Map<String, StoredObject> companions,
      FetchLimiter.Permit permit) {
    Entry entry = null;
    if (recipe.targets() != null || !recipe.extraInputs().isEmpty()) {
      entry = new Entry(recipe.manifest(), order[position], recipe.attributes());
      if (!companions.isEmpty()) {
        entry.companions(companions);
      }
    }
    execute(position, object, prefixed, entry, permit);
  }

  /** The further objects the targets of manifest entry {@code index} read, fetched with its object. */
  private Collection<String> companionsOf(int index) {
    Entry entry = new Entry(recipe.manifest(), index, recipe.attributes());
    Set<String> uris = new LinkedHashSet<>();
    for (List<Target> makers : java.util.Arrays.asList(recipe.extraInputs(), recipe.targets())) {
      if (makers != null) {
        for (Target t : makers) {
          uris.addAll(t.companions(entry));
        }
      }
    }
    return uris;
  }

  private void execute(int position, StoredObject object, boolean prefixed, Entry entry,
      FetchLimiter.Permit permit) {
    try {
      shared.workers().execute(() -> transform(position, object, prefixed, entry, permit));
    } catch (RejectedExecutionException e) {
      finished(position, handOver.place(position), permit, e);
    }
  }

  private void transform(int position, StoredObject object, boolean prefixed, Entry entry,
      FetchLimiter.Permit permit) {
    int placement = handOver.place(position);
    BatchSlot slot = placement < 0 ? null : handOver.slot(placement);
    if (slot == null) {
      finished(position, placement, permit, null);
      return;
    }
    try {
      int index = order[position];
      int label = recipe.manifest().label(index);
      if (label == Manifest.NO_LABEL && recipe.targets() == null) {
        throw new SluiceException("entry " + index + " (" + object.uri() + ") has no label", object.uri(), false, null);
      }
      SampleContext context = SampleContext.forEntry(object.uri(), index, epoch, recipe.seed());
      Features features = sample(index, object, prefixed, context);
      if (features == null) {
        throw new SluiceException("transform chain returned null for " + object.uri(), object.uri(), false, null);
      }
      Features[] extraInputs = null;
      Features[] targets = null;
      if (entry != null) {
        extraInputs = make(recipe.extraInputs(), entry, features, context);
        targets = recipe.targets() == null ? null : make(recipe.targets(), entry, features, context);
      }
      shared.shapeSeen().accept(slot.write(placement % recipe.batchSize(), index, features, label, extraInputs,
          targets, object.uri(), plan.padded(position)));
      finished(position, placement, permit, null);
    } catch (Throwable t) {
      finished(position, placement, permit, t);
    }
  }

  /** Runs the chain, or with a prefix cache its suffix over the cached or freshly computed (and kept) prefix. */
  private Features sample(int index, StoredObject object, boolean prefixed, SampleContext context) {
    PrefixPlan plan = recipe.prefixPlan();
    if (prefixed) {
      return plan.fromCache(object, context);
    }
    if (recipe.prefixCache() != null) {
      return plan.computeAndKeep(recipe.prefixCache(), recipe.manifest().ref(index), object, context);
    }
    return recipe.transform().apply(object, context);
  }

  private static Features[] make(List<Target> makers, Entry entry, Features features, SampleContext context) {
    Features[] made = new Features[makers.size()];
    for (int i = 0; i < made.length; i++) {
      made[i] = makers.get(i).make(entry, features, context);
    }
    return made;
  }

  /** The end of one sample's work, successful ({@code error == null}) or not. */
  private void finished(int position, int placement, FetchLimiter.Permit permit, Throwable error) {
    stats.inFlight(-1);
    stats.bytesInFlight(-permit.heldBytes());
    shared.limiter().releaseBytes(permit);
    if (placement < 0) {
      return; // closed
    }
    if (error == null) {
      handOver.rowDone(placement);
    } else {
      sampleFailed(position, placement, error);
    }
  }

  /** Applies the failure policy to one sample. */
  private void sampleFailed(int position, int placement, Throwable error) {
    SluiceException described = describe(position, error);
    FailurePolicy policy = recipe.failurePolicy();
    if (!policy.skip()) {
      handOver.fail(described);
      return;
    }
    long count = skipped.incrementAndGet();
    stats.skipped();
    shared.skipLog().accept(new SkippedSample(described.key(), order[position], epoch, described.getMessage()));
    LOG.warn("skipping {}", described.getMessage());
    if (policy.overBudget(count, order.length)) {
      handOver.fail(new SluiceException("epoch " + epoch + " skipped " + count + " of " + order.length
          + " samples, over the budget (at most " + policy.maxSkipped() + " or " + policy.maxSkippedFraction() * 100
          + "%); the last: " + described.getMessage(), described.key(), described.retryable(), described));
      return;
    }
    handOver.rowSkipped(placement, described);
  }

  private SluiceException describe(int position, Throwable error) {
    Throwable cause = FetchErrors.unwrap(error);
    int index = order[position];
    String uri = recipe.manifest().uri(index);
    boolean retryable = cause instanceof SluiceException s && s.retryable();
    return new SluiceException("cannot load " + uri + " (manifest entry " + index + ", epoch " + epoch + "): "
        + FetchErrors.describe(cause), uri, retryable, cause);
  }

  @Override
  public boolean hasNext() {
    return handOver.hasNext();
  }

  @Override
  public Batch next() {
    HandOver.Taken taken = handOver.take();
    Batch batch = taken.batch();
    stats.delivered(batch.size(), taken.waitedNanos());
    if (batch.number() == handOver.batches() - 1) {
      LOG.info("epoch {} done: {}", epoch, stats.snapshot());
    }
    // Issuing a batch's worth of requests costs the S3 client milliseconds of CPU (building and signing each
    // request): the trainer's thread should not pay that in next().
    try {
      shared.issuer().execute(this::pumpWithFollowing);
    } catch (RejectedExecutionException e) {
      // the loader is closing: nothing more to start
    }
    return batch;
  }

  /** Blocks until some sample of this epoch is written (its shape known); interruptible. */
  public void awaitFirstSample() {
    handOver.awaitFirstRow();
  }

  @Override
  public void close() {
    shared.limiter().unlisten(pumpListener);
    var left = handOver.close();
    prefetcher.close();
    left.forEach(BatchSlot::release);
    onClose.run();
  }

  @Override
  public String toString() {
    return "EpochRun{epoch=" + epoch + ", batches=" + handOver.batches() + "}";
  }
}
