package org.arc4j.core.metrics;

import java.time.Duration;

/** Records durations: their count, total and maximum. Thread-safe. */
public interface Timer {
    /** @param nanos a duration in nanoseconds, not negative */
    void recordNanos(long nanos);

    /** @param d a duration, not negative */
    default void record(Duration d) {
        recordNanos(d.toNanos());
    }

    /** @return how many durations were recorded */
    long count();

    /** @return their sum in nanoseconds */
    long totalNanos();

    /** @return the longest in nanoseconds, 0 if none */
    long maxNanos();
}
