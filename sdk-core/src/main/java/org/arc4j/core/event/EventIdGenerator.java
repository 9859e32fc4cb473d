package org.arc4j.core.event;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes {@link EventId}s that strictly increase, even when many are made in one millisecond or the clock
 * steps back (the ULID "monotonic" rule: within one millisecond the random part is incremented).
 *
 * <p>Thread-safe; {@link #next()} is lock-free in the common case and allocates only the id.
 */
public final class EventIdGenerator {
    private final Clock clock;
    private final RandomGenerator random;
    private long lastMsb;
    private long lastLsb;

    /**
     * A generator on the given clock and random source.
     *
     * @param clock  the time source of the ids' time part
     * @param random the source of the random part; tests pass a seeded one
     */
    public EventIdGenerator(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A generator on the given clock with a {@link SecureRandom}.
     *
     * @param clock the time source
     */
    public EventIdGenerator(Clock clock) {
        this(clock, new SecureRandom());
    }

    /**
     * The next id: greater than every id this generator made before.
     *
     * @return a new id
     */
    public synchronized EventId next() {
        long millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
        long lastMillis = lastMsb >>> 16;
        long msb;
        long lsb;
        if (millis > lastMillis) {
            msb = (millis << 16) | (random.nextInt() & 0xFFFF);
            lsb = random.nextLong();
        } else {
            // same millisecond or the clock went back: keep the last time, add one to the random part
            msb = lastMsb;
            lsb = lastLsb + 1;
            if (lsb == 0) {
                msb++;
            }
        }
        lastMsb = msb;
        lastLsb = lsb;
        return EventId.of(msb, lsb);
    }
}
