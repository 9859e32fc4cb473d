package org.arc4j.core.security;

import java.time.Duration;
import java.util.Objects;

/**
 * When repeated login failures lock an account, and for how long: after {@code maxFailures} failures within
 * {@code failureWindow}, the account is locked for {@code firstLockout}; each further lockout before a successful
 * login doubles the time, up to {@code maxLockout}. Immutable.
 *
 * @param maxFailures   failures that lock, at least 1
 * @param failureWindow how long a failure counts
 * @param firstLockout  the first lockout
 * @param maxLockout    the longest lockout
 */
public record LockoutPolicy(int maxFailures, Duration failureWindow, Duration firstLockout, Duration maxLockout) {
    /** Five failures within 15 minutes lock for 1 minute, then 2, 4, … up to 1 hour. */
    public static final LockoutPolicy DEFAULT =
            new LockoutPolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofHours(1));

    /** Validates. */
    public LockoutPolicy {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be positive: " + maxFailures);
        }
        Objects.requireNonNull(failureWindow, "failureWindow");
        Objects.requireNonNull(firstLockout, "firstLockout");
        Objects.requireNonNull(maxLockout, "maxLockout");
        if (firstLockout.isNegative() || firstLockout.isZero() || maxLockout.compareTo(firstLockout) < 0) {
            throw new IllegalArgumentException("lockouts must be positive and max >= first");
        }
    }

    /**
     * The length of the n-th consecutive lockout (1 for the first).
     *
     * @param n the lockout's number
     * @return its length: first × 2^(n−1), capped at the maximum
     */
    public Duration lockoutLength(int n) {
        Duration d = firstLockout;
        for (int i = 1; i < n && d.compareTo(maxLockout) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxLockout) > 0 ? maxLockout : d;
    }
}
