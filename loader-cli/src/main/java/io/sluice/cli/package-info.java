/**
 * The {@code sluice} command line (picocli): building, validating and describing channel manifests, a contact
 * sheet of a transform chain's output ({@code inspect}) and a read benchmark ({@code bench}).
 *
 * <p>The entry point is {@link io.sluice.cli.Main}; {@code io.sluice.cli.bench} holds benchmarks run as
 * plain main classes.
 */
package io.sluice.cli;
