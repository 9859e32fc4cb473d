package org.arc4j.media.rtcp;

import java.time.Instant;
import java.util.Objects;
import org.arc4j.media.rtp.RtpArithmetic;

/**
 * The wall-clock time of RTP timestamps, from the pair of times a sender report carries (RFC 3550 §6.4.1: the NTP
 * time and the RTP timestamp of the same instant). Timestamps up to 2^31 ticks either side of the report map
 * correctly across the 32-bit wrap. Immutable.
 *
 * @param ntp          the report's wall-clock time
 * @param rtpTimestamp the RTP timestamp of that instant
 * @param clockRate    the payload's RTP clock in Hz (90000 for video)
 */
public record RtpClockMapping(NtpTimestamp ntp, long rtpTimestamp, int clockRate) {
    /** Validates ranges. */
    public RtpClockMapping {
        Objects.requireNonNull(ntp, "ntp");
        if (clockRate <= 0 || rtpTimestamp < 0 || rtpTimestamp > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("clockRate or timestamp out of range");
        }
    }

    /**
     * The mapping a sender report gives.
     *
     * @param sr        the report
     * @param clockRate the clock rate of the sender's payload
     * @return the mapping
     */
    public static RtpClockMapping of(RtcpPacket.SenderReport sr, int clockRate) {
        return new RtpClockMapping(sr.ntp(), sr.rtpTimestamp(), clockRate);
    }

    /**
     * The wall-clock time of a timestamp from the same source, e.g. an access unit's.
     *
     * @param timestamp an RTP timestamp, 32 bits
     * @return its wall-clock time, to the nanosecond
     */
    public Instant wallClock(long timestamp) {
        long ticks = RtpArithmetic.INSTANCE.timestampDelta(rtpTimestamp, timestamp);
        long nanos = Math.floorDiv(ticks * 1_000_000_000L, clockRate);
        return ntp.toInstant().plusNanos(nanos);
    }
}
