package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

/** Lockout and back-off on virtual time. */
class LockoutTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(T0);
    private final Lockout lockout = new Lockout(LockoutPolicy.DEFAULT, scheduler.clock());

    @Test
    void fiveFailuresLockForAMinuteThenTheBackOffDoubles() {
        for (int i = 0; i < 4; i++) {
            assertThat(lockout.recordFailure("op1")).isEmpty();
        }
        assertThat(lockout.recordFailure("op1")).contains(T0.plus(Duration.ofMinutes(1)));
        assertThat(lockout.lockedUntil("op1")).contains(T0.plus(Duration.ofMinutes(1)));
        assertThat(lockout.recordFailure("op1")).as("failures while locked do not count").isEmpty();

        scheduler.advance(Duration.ofMinutes(1));
        assertThat(lockout.lockedUntil("op1")).isEmpty();
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("op1");
        }
        Instant t1 = scheduler.now();
        assertThat(lockout.recordFailure("op1")).contains(t1.plus(Duration.ofMinutes(2)));

        scheduler.advance(Duration.ofMinutes(2));
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("op1");
        }
        assertThat(lockout.recordFailure("op1")).contains(scheduler.now().plus(Duration.ofMinutes(4)));
    }

    @Test
    void backOffIsCappedAndSuccessForgetsIt() {
        LockoutPolicy p = LockoutPolicy.DEFAULT;
        assertThat(p.lockoutLength(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.lockoutLength(3)).isEqualTo(Duration.ofMinutes(4));
        assertThat(p.lockoutLength(7)).isEqualTo(Duration.ofHours(1));
        assertThat(p.lockoutLength(50)).isEqualTo(Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            lockout.recordFailure("op2");
        }
        scheduler.advance(Duration.ofMinutes(1));
        lockout.recordSuccess("op2");
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("op2");
        }
        assertThat(lockout.recordFailure("op2")).as("back to the first length")
                .contains(scheduler.now().plus(Duration.ofMinutes(1)));
    }

    @Test
    void failuresOutsideTheWindowDoNotAccumulate() {
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("op3");
        }
        scheduler.advance(Duration.ofMinutes(15));
        assertThat(lockout.recordFailure("op3")).isEmpty();
        assertThat(lockout.lockedUntil("op3")).isEmpty();
        assertThat(lockout.lockedUntil("nobody")).isEmpty();
    }
}
