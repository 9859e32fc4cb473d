package org.arc4j.media.rtcp;

import java.time.Instant;
import java.util.Objects;

/**
 * A 64-bit NTP timestamp (RFC 3550 §4, RFC 5905): seconds since 1900-01-01 in the high 32 bits, the fraction of
 * a second in the low 32 bits. The first NTP era (until 2036-02-07) is assumed when converting to an
 * {@link Instant}, with values below 2^31 seconds taken as the second era, as RFC 4330 §3 advises. Immutable.
 *
 * @param value the 64 bits, as an unsigned number held in a long
 */
public record NtpTimestamp(long value) {
    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    public static final long EPOCH_OFFSET = 2_208_988_800L;

    /**
     * The NTP time of an instant.
     *
     * @param instant the instant
     * @return its NTP timestamp
     */
    public static NtpTimestamp of(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        long seconds = (instant.getEpochSecond() + EPOCH_OFFSET) & 0xFFFFFFFFL;
        long fraction = ((long) instant.getNano() << 32) / 1_000_000_000L;
        return new NtpTimestamp(seconds << 32 | fraction);
    }

    /** @return the seconds field, 0..2^32-1 */
    public long seconds() {
        return value >>> 32;
    }

    /** @return the fraction field, in 1/2^32 s */
    public long fraction() {
        return value & 0xFFFFFFFFL;
    }

    /** @return the middle 32 bits, as an RTCP report block's "last SR" field carries them (RFC 3550 §6.4.1) */
    public long middle32() {
        return (value >>> 16) & 0xFFFFFFFFL;
    }

    /** @return the instant, to the nanosecond */
    public Instant toInstant() {
        long s = seconds();
        long unix = s >= 0x8000_0000L ? s - EPOCH_OFFSET : s + 0x1_0000_0000L - EPOCH_OFFSET;
        long nanos = (fraction() * 1_000_000_000L + 0x8000_0000L) >>> 32;
        return Instant.ofEpochSecond(unix, nanos);
    }
}
