package org.arc4j.examples.center.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per client host, so that one host cannot guess passwords across many accounts: the SDK's
 * {@code Lockout} counts per account only. A host with {@code limit} failures in the last
 * {@code window} is refused until the oldest of them leaves the window. Successes do not reset the count.
 *
 * <p>Thread-safe. Memory: one list per host that ever failed, holding at most {@code limit} recent instants after
 * each check.
 */
final class LoginThrottle {
    /** The centre's limit: failures per host per {@link #WINDOW}. */
    static final int FAILURES_PER_MINUTE = 20;
    /** The centre's window. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final Map<String, List<Instant>> failuresByHost = new ConcurrentHashMap<>();

    /**
     * A throttle.
     *
     * @param clock  the centre's clock (a manual clock in tests)
     * @param limit  failures allowed per host within the window
     * @param window how far back failures count
     */
    LoginThrottle(Clock clock, int limit, Duration window) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit must be positive and window longer than zero");
        }
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    /**
     * Checks a host before its login attempt.
     *
     * @param host the client host
     * @return the instant of the attempt, to pass to {@link #failed} if it fails, or null when the host is
     *         refused for now
     */
    Instant admit(String host) {
        List<Instant> recent = failuresByHost.computeIfAbsent(host, k -> new ArrayList<>());
        Instant now = clock.instant();
        synchronized (recent) {
            recent.removeIf(t -> t.isBefore(now.minus(window)));
            return recent.size() >= limit ? null : now;
        }
    }

    /**
     * Counts a failed attempt.
     *
     * @param host the client host
     * @param at   the instant {@link #admit} returned for it
     */
    void failed(String host, Instant at) {
        List<Instant> recent = failuresByHost.computeIfAbsent(host, k -> new ArrayList<>());
        synchronized (recent) {
            recent.add(at);
        }
    }
}
