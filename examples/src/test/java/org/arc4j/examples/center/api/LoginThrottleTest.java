package org.arc4j.examples.center.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(1));

    private void fail(String host) {
        Instant at = throttle.admit(host);
        assertThat(at).as("admitted before failing").isEqualTo(clock.instant());
        throttle.failed(host, at);
    }

    @Test
    void refusesAHostAtItsLimitUntilTheOldestFailureLeavesTheWindow() {
        fail("10.0.0.1");
        clock.advance(Duration.ofSeconds(10));
        fail("10.0.0.1");
        fail("10.0.0.1");
        assertThat(throttle.admit("10.0.0.1")).isNull();

        // the first failure is exactly one window old: it still counts
        clock.advance(Duration.ofSeconds(50));
        assertThat(throttle.admit("10.0.0.1")).isNull();
        // a moment later it has left, and one more attempt is allowed
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.admit("10.0.0.1")).isEqualTo(clock.instant());
        throttle.failed("10.0.0.1", clock.instant());
        assertThat(throttle.admit("10.0.0.1")).isNull();
    }

    @Test
    void countsEachHostApart() {
        fail("10.0.0.1");
        fail("10.0.0.1");
        fail("10.0.0.1");
        assertThat(throttle.admit("10.0.0.1")).isNull();
        assertThat(throttle.admit("10.0.0.2")).isNotNull();
        assertThat(throttle.admit("::1")).isNotNull();
    }

    @Test
    void onlyFailuresCount() {
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.admit("10.0.0.1")).isNotNull(); // admitted, then the login succeeded
        }
        fail("10.0.0.1");
        fail("10.0.0.1");
        assertThat(throttle.admit("10.0.0.1")).isNotNull();
    }

    @Test
    void theCentreAllowsTwentyFailuresAMinute() {
        LoginThrottle centre = new LoginThrottle(clock, LoginThrottle.FAILURES_PER_MINUTE, LoginThrottle.WINDOW);
        for (int i = 0; i < 20; i++) {
            centre.failed("10.0.0.1", centre.admit("10.0.0.1"));
        }
        assertThat(centre.admit("10.0.0.1")).isNull();
        clock.advance(Duration.ofSeconds(60).plusNanos(1));
        assertThat(centre.admit("10.0.0.1")).isNotNull();
    }

    @Test
    void refusesALimitOrWindowThatThrottlesNothingOrEverything() {
        assertThatThrownBy(() -> new LoginThrottle(clock, 0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(clock, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFloodOfFailingHostsStaysWithinTheBoundAndAgesOut() {
        for (int i = 0; i < LoginThrottle.MAX_HOSTS + 50_000; i++) {
            String host = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
            Instant at = throttle.admit(host);
            throttle.failed(host, at);
        }
        assertThat(throttle.hosts()).isEqualTo(LoginThrottle.MAX_HOSTS);
        clock.advance(Duration.ofMinutes(2));
        throttle.failed("192.0.2.1", clock.instant()); // full: the aged ones are forgotten first
        assertThat(throttle.hosts()).isEqualTo(1);
        // a host whose failures left the window is forgotten when it next asks
        clock.advance(Duration.ofMinutes(2));
        assertThat(throttle.admit("192.0.2.1")).isNotNull();
        assertThat(throttle.hosts()).isZero();
    }
}
