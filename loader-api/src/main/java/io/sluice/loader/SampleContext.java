package io.sluice.loader;

import java.util.random.RandomGenerator;

/**
 * What a {@link Transform} may know about the sample it is working on.
 *
 * <p>The random generator is derived from (seed, epoch, sample index) alone, so a random transform gives
 * the same result whichever thread runs it and whenever it runs. Transforms must draw randomness from
 * here and nowhere else.
 */
public interface SampleContext {

  /** The URI of the object this sample was read from, for error messages. */
  String key();

  /** The sample's index in the manifest. */
  int index();

  /** The epoch this sample is drawn for. */
  int epoch();

  /** This sample's own random generator; not shared with any other sample. */
  RandomGenerator random();

  /**
   * A context for running a transform outside a loader (tests, tools).
   *
   * @param key the key to report in errors
   * @param seed the seed of the random generator
   */
  static SampleContext of(String key, long seed) {
    return of(key, 0, 0, io.sluice.loader.internal.Seeds.sampleRandom(seed, 0, 0));
  }

  /**
   * The context a loader with {@code seed} gives manifest entry {@code index} in {@code epoch}: the same random draws,
   * so a tool (a contact sheet, a test) can show exactly what training will see.
   */
  static SampleContext forEntry(String key, int index, int epoch, long seed) {
    return of(key, index, epoch, io.sluice.loader.internal.Seeds.sampleRandom(seed, epoch, index));
  }

  /** A context with every field given; the loader builds these with a generator from (seed, epoch, index). */
  static SampleContext of(String key, int index, int epoch, RandomGenerator random) {
    return new SampleContexts.Fixed(key, index, epoch, random);
  }
}
