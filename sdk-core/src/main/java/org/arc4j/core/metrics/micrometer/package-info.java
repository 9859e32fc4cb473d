/**
 * The SDK's {@link org.arc4j.core.metrics.Metrics} over a Micrometer
 * {@link io.micrometer.core.instrument.MeterRegistry}, so that the SDK's counters and timers reach whatever
 * monitoring system the application already exports to (Prometheus, Datadog, OTLP, …).
 *
 * <p>Micrometer is an optional dependency of {@code sdk-core}: an application that uses this package adds
 * {@code io.micrometer:micrometer-core} (and a registry such as {@code micrometer-registry-prometheus}) itself;
 * one that does not use it never loads a Micrometer class.
 */
package org.arc4j.core.metrics.micrometer;
