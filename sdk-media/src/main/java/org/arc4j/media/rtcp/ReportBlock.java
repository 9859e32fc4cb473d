package org.arc4j.media.rtcp;

import org.arc4j.media.rtp.ReceptionStatistics;

/**
 * One reception report block of an SR or RR (RFC 3550 §6.4.1). Immutable.
 *
 * @param ssrc                    the source reported on
 * @param fractionLost            losses since the previous report, in 1/256, 0..255
 * @param cumulativeLost          packets lost since the start, a 24-bit signed number (-2^23..2^23-1)
 * @param extendedHighestSequence the highest sequence number received with the wrap count above it, 32 bits
 * @param jitter                  interarrival jitter in timestamp units, 32 bits
 * @param lastSenderReport        the middle 32 bits of the last SR's NTP time from this source (0: none yet)
 * @param delaySinceLastSenderReport the delay since that SR arrived, in 1/65536 s (0: none yet)
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence, long jitter,
                          long lastSenderReport, long delaySinceLastSenderReport) {
    /** The encoded length. */
    public static final int LENGTH = 24;

    /** Validates field ranges. */
    public ReportBlock {
        if (!u32(ssrc) || fractionLost < 0 || fractionLost > 255 || cumulativeLost < -0x80_0000
                || cumulativeLost > 0x7F_FFFF || !u32(extendedHighestSequence) || !u32(jitter)
                || !u32(lastSenderReport) || !u32(delaySinceLastSenderReport)) {
            throw new IllegalArgumentException("report block field out of range");
        }
    }

    /**
     * The block for what a receiver counted (RFC 3550 A.3, A.8); the cumulative loss is clamped to 24 bits.
     *
     * @param s                          from {@code JitterBuffer.intervalReport()}
     * @param lastSenderReport           middle 32 bits of the NTP time of the last SR received from the source, or 0
     * @param delaySinceLastSenderReport since then, in 1/65536 s, or 0
     * @return the block
     */
    public static ReportBlock of(ReceptionStatistics s, long lastSenderReport, long delaySinceLastSenderReport) {
        int lost = (int) Math.max(-0x80_0000, Math.min(0x7F_FFFF, s.cumulativeLost()));
        return new ReportBlock(s.ssrc(), s.fractionLost(), lost, s.extendedHighestSequence() & 0xFFFFFFFFL,
                Math.min(0xFFFFFFFFL, (long) s.jitter()), lastSenderReport, delaySinceLastSenderReport);
    }

    /**
     * The block for what a receiver counted, with the round-trip fields taken from the last SR received from the
     * source (RFC 3550 §6.4.1: LSR is the middle 32 bits of its NTP time, DLSR the time since, in 1/65536 s).
     *
     * @param s          from {@code JitterBuffer.intervalReport()}
     * @param lastSr     the NTP time of the last SR received from the source, or null when none has come
     * @param sinceLastSr how long ago it arrived (ignored when {@code lastSr} is null)
     * @return the block
     */
    public static ReportBlock of(ReceptionStatistics s, NtpTimestamp lastSr, java.time.Duration sinceLastSr) {
        if (lastSr == null) {
            return of(s, 0, 0);
        }
        long dlsr = Math.min(0xFFFFFFFFL, Math.max(0, sinceLastSr.toNanos()) / 1000 * 65536 / 1_000_000);
        return of(s, lastSr.middle32(), dlsr);
    }

    static boolean u32(long v) {
        return v >= 0 && v <= 0xFFFFFFFFL;
    }
}
