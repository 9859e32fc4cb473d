package org.arc4j.core.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts login failures per user name and locks with back-off ({@link LockoutPolicy}), on the centre's clock so
 * that tests run it on virtual time. Unknown user names are counted like known ones, so that lockout does not
 * reveal which names exist. Thread-safe.
 */
public final class Lockout {
    /** Entries beyond which idle ones are purged, to bound memory under a guessing attack on many names. */
    private static final int PURGE_THRESHOLD = 10_000;

    private final LockoutPolicy policy;
    private final Clock clock;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    private static final class State {
        int failures;
        Instant firstFailure;
        int lockouts;
        Instant lockedUntil;
    }

    /**
     * A lockout tracker.
     *
     * @param policy when to lock and for how long
     * @param clock  the centre's clock
     */
    public Lockout(LockoutPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Until when a user name is locked.
     *
     * @param username the user name
     * @return the end of the lockout, or empty if not locked now
     */
    public Optional<Instant> lockedUntil(String username) {
        State s = states.get(username);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            Instant now = clock.instant();
            return s.lockedUntil != null && now.isBefore(s.lockedUntil) ? Optional.of(s.lockedUntil)
                    : Optional.empty();
        }
    }

    /**
     * Records a failed login (not counted while locked).
     *
     * @param username the user name tried
     * @return the end of a lockout that this failure started, or empty
     */
    public Optional<Instant> recordFailure(String username) {
        if (states.size() > PURGE_THRESHOLD) {
            purgeIdle();
        }
        State s = states.computeIfAbsent(username, u -> new State());
        synchronized (s) {
            Instant now = clock.instant();
            if (s.lockedUntil != null && now.isBefore(s.lockedUntil)) {
                return Optional.empty();
            }
            if (s.firstFailure == null || !now.isBefore(s.firstFailure.plus(policy.failureWindow()))) {
                s.failures = 0;
                s.firstFailure = now;
            }
            s.failures++;
            if (s.failures < policy.maxFailures()) {
                return Optional.empty();
            }
            s.lockouts++;
            s.failures = 0;
            s.firstFailure = null;
            s.lockedUntil = now.plus(policy.lockoutLength(s.lockouts));
            return Optional.of(s.lockedUntil);
        }
    }

    /**
     * Records a successful login: failures and the back-off are forgotten.
     *
     * @param username the user name
     */
    public void recordSuccess(String username) {
        states.remove(username);
    }

    /**
     * Unlocks a user name at once (an administrator's action).
     *
     * @param username the user name
     */
    public void unlock(String username) {
        states.remove(username);
    }

    private void purgeIdle() {
        Instant now = clock.instant();
        states.entrySet().removeIf(e -> {
            State s = e.getValue();
            synchronized (s) {
                boolean locked = s.lockedUntil != null && now.isBefore(s.lockedUntil);
                boolean counting = s.firstFailure != null && now.isBefore(s.firstFailure.plus(policy.failureWindow()));
                return !locked && !counting;
            }
        });
    }
}
