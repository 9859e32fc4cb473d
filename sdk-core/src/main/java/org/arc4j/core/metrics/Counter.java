package org.arc4j.core.metrics;

/** A monotonically increasing count. Thread-safe and cheap enough for receive paths (a striped adder). */
public interface Counter {
    /** Adds one. */
    void increment();

    /** @param n how many to add, not negative */
    void add(long n);

    /** @return the count so far */
    long count();
}
