package org.arc4j.core.metrics;

/** The JMX view of a {@link Counter}. */
public interface CounterMXBean {
    /** @return the count */
    long getCount();
}
