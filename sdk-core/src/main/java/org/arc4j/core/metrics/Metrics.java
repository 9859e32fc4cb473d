package org.arc4j.core.metrics;

import java.util.Map;

/**
 * Counters and timers by outcome and reason, e.g. {@code counter("dc09.frames", "outcome", "nak", "reason",
 * "timestamp")}. The same name and tags always return the same instrument, so hot paths look them up once
 * and keep them.
 *
 * <p>{@link JmxMetrics} is the default: every instrument is also an MXBean under {@code org.arc4j}.
 * {@link SimpleMetrics} keeps them in memory only. Implementations are thread-safe.
 */
public interface Metrics {
    /**
     * The counter for a name and tags, created on first use.
     *
     * @param name the dotted name
     * @param tags alternating tag names and values
     * @return the counter
     */
    Counter counter(String name, String... tags);

    /**
     * The timer for a name and tags, created on first use.
     *
     * @param name the dotted name
     * @param tags alternating tag names and values
     * @return the timer
     */
    Timer timer(String name, String... tags);

    /** @return every counter's current count */
    Map<MetricId, Long> counts();

    /** @return every timer */
    Map<MetricId, Timer> timers();
}
