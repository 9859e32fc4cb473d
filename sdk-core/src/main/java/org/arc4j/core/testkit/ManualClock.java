package org.arc4j.core.testkit;

import org.arc4j.core.testkit.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told to: the virtual time of tests. Thread-safe. Normally driven through
 * {@link ManualScheduler#advance(Duration)}, which also runs the timers that fall due.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;
    private final ZoneId zone;

    /**
     * A clock standing at the given instant, in UTC.
     *
     * @param start the initial time
     */
    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
        this.zone = ZoneOffset.UTC;
    }


    /**
     * Moves the clock. Moving it backwards is allowed (to test a device clock that steps back) but
     * {@link ManualScheduler} never does so.
     *
     * @param to the new time
     */
    public void set(Instant to) {
        this.now = Objects.requireNonNull(to, "to");
    }

    /**
     * Moves the clock forward.
     *
     * @param d how far
     */
    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** @return a view of this clock in another zone; it moves when this clock moves */
    @Override
    public Clock withZone(ZoneId z) {
        ManualClock source = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return z;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return source.withZone(other);
            }

            @Override
            public Instant instant() {
                return source.instant();
            }
        };
    }
}
