package io.sluice.loader;

import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** DL4J's {@link MultiDataSetIterator} over a loader's epochs, which can also say where it is. */
public interface ResumableMultiDataSetIterator extends MultiDataSetIterator {

  /** The epoch being read. */
  int epoch();

  /**
   * Where the iterator is: save it (as {@link LoaderState#toJson()}) and pass it to
   * {@link DataLoader.Builder#resumeFrom} to carry on from the next batch after a crash.
   */
  LoaderState state();
}
