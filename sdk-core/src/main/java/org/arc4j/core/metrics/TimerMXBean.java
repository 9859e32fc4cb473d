package org.arc4j.core.metrics;

/** The JMX view of a {@link Timer}. */
public interface TimerMXBean {
    /** @return how many durations were recorded */
    long getCount();

    /** @return their sum in nanoseconds */
    long getTotalNanos();

    /** @return the longest in nanoseconds */
    long getMaxNanos();

    /** @return the mean in nanoseconds, 0 if none */
    double getMeanNanos();
}
