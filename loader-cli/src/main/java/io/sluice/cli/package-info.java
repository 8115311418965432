/**
 * The {@code sluice} command line: building, validating and describing channel manifests.
 *
 * <p>The entry point is {@link io.sluice.cli.Main}; {@code io.sluice.cli.bench} holds benchmarks run as
 * plain main classes.
 */
package io.sluice.cli;
