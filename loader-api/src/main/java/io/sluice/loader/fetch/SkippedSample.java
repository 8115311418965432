package io.sluice.loader.fetch;

/**
 * A sample the loader skipped under {@link FailurePolicy#skip}, and why.
 *
 * @param uri the object's URI
 * @param index its manifest index
 * @param epoch the epoch it was skipped in
 * @param reason the error, with each attempt's cause
 */
public record SkippedSample(String uri, int index, int epoch, String reason) {}
