package io.sluice.loader;

import java.util.random.RandomGenerator;

/** The package-private implementation of {@link SampleContext}. */
final class SampleContexts {
  private SampleContexts() {}

  record Fixed(String key, int index, int epoch, RandomGenerator random) implements SampleContext {}
}
