package io.sluice.examples.tabular;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A synthetic tabular dataset in the spirit of Fisher's iris: three species, four measurements in centimetres
 * drawn around each species' means, and the site each flower was picked at (which says nothing about the
 * species). Record {@code i} is the same on every run.
 */
final class FlowerRecords {
  static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");
  static final List<String> SITES = List.of("meadow", "riverbank", "roadside");

  /** Mean sepal length, sepal width, petal length, petal width of each species (Fisher's sample means). */
  private static final double[][] MEANS = {
      {5.01, 3.43, 1.46, 0.25},
      {5.94, 2.77, 4.26, 1.33},
      {6.59, 2.97, 5.55, 2.03},
  };
  private static final double[][] SPREADS = {
      {0.35, 0.38, 0.17, 0.11},
      {0.52, 0.31, 0.47, 0.20},
      {0.64, 0.32, 0.55, 0.27},
  };

  private final long seed;

  FlowerRecords(long seed) {
    this.seed = seed;
  }

  /** The species of record {@code i}. */
  String species(int i) {
    return SPECIES.get(i % SPECIES.size());
  }

  /** Record {@code i}'s measurements, rounded to millimetres. */
  double[] measurements(int i) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003 + i);
    int s = i % SPECIES.size();
    double[] m = new double[4];
    for (int k = 0; k < 4; k++) {
      m[k] = Math.max(0.1, Math.round((MEANS[s][k] + SPREADS[s][k] * random.nextGaussian()) * 10) / 10.0);
    }
    return m;
  }

  private String site(int i) {
    return SITES.get(new SplittableRandom(seed + 31L * i).nextInt(SITES.size()));
  }

  /** Record {@code i} as one CSV line: {@code id,sepalLength,sepalWidth,petalLength,petalWidth,site,species}. */
  String csv(int i) {
    double[] m = measurements(i);
    return String.format(Locale.ROOT, "flower-%05d,%.1f,%.1f,%.1f,%.1f,%s,%s%n", i, m[0], m[1], m[2], m[3], site(i),
        species(i));
  }

  /** Record {@code i} as one JSON Lines object with the same fields. */
  String json(int i) {
    double[] m = measurements(i);
    return String.format(Locale.ROOT, "{\"id\": \"flower-%05d\", \"sepalLength\": %.1f, \"sepalWidth\": %.1f,"
        + " \"petalLength\": %.1f, \"petalWidth\": %.1f, \"site\": \"%s\", \"species\": \"%s\"}%n", i, m[0], m[1],
        m[2], m[3], site(i), species(i));
  }
}
