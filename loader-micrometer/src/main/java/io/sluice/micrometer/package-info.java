/**
 * Micrometer meters for a Sluice loader: {@link io.sluice.micrometer.LoaderMetrics}. An optional module; add
 * it beside {@code loader-api} with the Micrometer registry of your monitoring system.
 */
package io.sluice.micrometer;
