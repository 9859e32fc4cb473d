package org.arc4j.protocols.onvif.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the client from locking a camera account: after {@code threshold} consecutive refusals of our
 * credentials (each refused authenticated request counts, also the retry after a clock re-sync), no
 * authenticated request goes to the device until {@code pause} has passed on the scheduler's clock. After the
 * pause one request may try again; if it is refused too, the pause starts over at once. Any accepted request
 * resets the count. Thread-safe.
 */
public final class AuthGuard {
    private final Clock clock;
    private final int threshold;
    private final Duration pause;
    private int consecutive;
    private Instant lockedUntil;

    /**
     * A guard.
     *
     * @param clock     the scheduler's clock
     * @param threshold refusals in a row before the pause, at least 1
     * @param pause     how long no authenticated request is sent
     */
    public AuthGuard(Clock clock, int threshold, Duration pause) {
        this.clock = clock;
        this.threshold = Math.max(1, threshold);
        this.pause = pause;
    }

    /** @return when the pause ends, or null when requests may be sent now */
    public synchronized Instant lockedUntil() {
        if (lockedUntil != null && !clock.instant().isBefore(lockedUntil)) {
            lockedUntil = null;
            consecutive = threshold - 1; // one more refusal pauses again
        }
        return lockedUntil;
    }

    /**
     * Records a refusal.
     *
     * @return true when this refusal started a pause
     */
    public synchronized boolean refused() {
        consecutive++;
        if (consecutive >= threshold && lockedUntil == null) {
            lockedUntil = clock.instant().plus(pause);
            return true;
        }
        return false;
    }

    /** Records an accepted request. */
    public synchronized void accepted() {
        consecutive = 0;
        lockedUntil = null;
    }

    /** @return refusals in a row so far */
    public synchronized int consecutiveRefusals() {
        return consecutive;
    }
}
