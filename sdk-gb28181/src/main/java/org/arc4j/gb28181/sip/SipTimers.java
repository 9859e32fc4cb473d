package org.arc4j.gb28181.sip;

import java.time.Duration;
import java.util.Objects;

/**
 * The SIP timer base values of RFC 3261 §17.1.1.1 and Table 4, from which timers A–K derive: A and E start
 * at T1 and double (E and G up to T2), B, F, H and J are 64×T1, D is 32 s (UDP), I and K are T4 (UDP); on TCP
 * the retransmission timers do not run and D, I, J, K are zero.
 *
 * @param t1 the round-trip estimate, default 500 ms
 * @param t2 the maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s
 * @param t4 the maximum time a message stays in the network, default 5 s
 */
public record SipTimers(Duration t1, Duration t2, Duration t4) {
    /** RFC 3261 defaults. */
    public static final SipTimers DEFAULT = new SipTimers(Duration.ofMillis(500), Duration.ofSeconds(4),
            Duration.ofSeconds(5));

    /** Validates the values. */
    public SipTimers {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        if (t1.isZero() || t1.isNegative() || t2.compareTo(t1) < 0) {
            throw new IllegalArgumentException("need 0 < T1 <= T2");
        }
    }

    /** @return 64×T1: timers B, F, H and J */
    public Duration timeout() {
        return t1.multipliedBy(64);
    }

    /** @return timer D for unreliable transports, at least 32 s */
    public Duration timerD() {
        Duration d = Duration.ofSeconds(32);
        return timeout().compareTo(d) > 0 ? timeout() : d;
    }
}
