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
 * <p>Thread-safe. Memory is bounded: a host is remembered only while it has failures inside the window (at most
 * {@code limit} instants each), and at most {@link #MAX_HOSTS} hosts at once; when that many hosts are failing at
 * the same time, further hosts are not tracked until some age out (the SDK's per-account lockout still holds
 * for them).
 */
final class LoginThrottle {
    /** The centre's limit: failures per host per {@link #WINDOW}. */
    static final int FAILURES_PER_MINUTE = 20;
    /** The centre's window. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** The most hosts remembered at once. */
    static final int MAX_HOSTS = 100_000;

    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final Map<String, List<Instant>> failuresByHost = new ConcurrentHashMap<>();
    private volatile Instant nextSweep;

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
        Instant now = clock.instant();
        List<Instant> recent = failuresByHost.get(host);
        if (recent == null) {
            return now;
        }
        synchronized (recent) {
            recent.removeIf(t -> t.isBefore(now.minus(window)));
            if (recent.isEmpty()) {
                failuresByHost.remove(host, recent);
            }
            return recent.size() >= limit ? null : now;
        }
    }

    /** @return the hosts remembered now */
    int hosts() {
        return failuresByHost.size();
    }

    /**
     * Counts a failed attempt.
     *
     * @param host the client host
     * @param at   the instant {@link #admit} returned for it
     */
    void failed(String host, Instant at) {
        if (failuresByHost.size() >= MAX_HOSTS && !failuresByHost.containsKey(host)) {
            Instant sweep = nextSweep;
            if (sweep == null || !at.isBefore(sweep)) {
                // one pass over the table at most every quarter window, however many hosts knock meanwhile
                nextSweep = at.plus(window.dividedBy(4));
                forgetAged(at);
            }
            if (failuresByHost.size() >= MAX_HOSTS) {
                return;
            }
        }
        while (true) {
            List<Instant> recent = failuresByHost.computeIfAbsent(host, k -> new ArrayList<>());
            synchronized (recent) {
                if (failuresByHost.get(host) != recent) {
                    continue; // emptied and removed by admit meanwhile
                }
                recent.add(at);
                return;
            }
        }
    }

    private void forgetAged(Instant now) {
        Instant oldest = now.minus(window);
        failuresByHost.forEach((host, recent) -> {
            synchronized (recent) {
                recent.removeIf(t -> t.isBefore(oldest));
                if (recent.isEmpty()) {
                    failuresByHost.remove(host, recent);
                }
            }
        });
    }
}
