package io.sluice.loader;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Package-private implementations of {@link SampleContext} and the per-sample seed derivation. */
final class SampleContexts {
  private SampleContexts() {}

  /** A generator seeded from (seed, epoch, index) by SplitMix64-style mixing of all three. */
  static RandomGenerator random(long seed, int epoch, int index) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ (epoch * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L));
    h = mix(h ^ (index * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL));
    return new SplittableRandom(h);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  record Fixed(String key, int index, int epoch, RandomGenerator random) implements SampleContext {}
}
