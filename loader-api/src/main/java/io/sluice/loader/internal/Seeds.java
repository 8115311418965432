package io.sluice.loader.internal;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Derives independent random streams from the user's seed. Not API. */
public final class Seeds {
  private Seeds() {}

  /** The generator for one sample of one epoch: a function of (seed, epoch, index) alone. */
  public static RandomGenerator sampleRandom(long seed, int epoch, int index) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ (epoch * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L));
    h = mix(h ^ (index * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL));
    return new SplittableRandom(h);
  }

  /** The generator that shuffles one epoch. */
  public static SplittableRandom epochRandom(long seed, int epoch) {
    return new SplittableRandom(mix(mix(seed) ^ (0x5851F42D4C957F2DL * (epoch + 1L))));
  }

  /** The SplitMix64 finaliser: a bijective mix of all 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
