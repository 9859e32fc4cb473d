package org.arc4j.examples.center.video;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.arc4j.media.rtp.RtpArithmetic;

/**
 * Wall-clock times of one RTP track's timestamps, anchored at an arrival time: media keeps the camera's spacing
 * (arrival jitter would make it stutter, and a busy receiver would leave holes in it), re-anchored only when the
 * stamps cannot be right: ahead of the arrival, or far behind it. Not thread-safe: one track's receive thread.
 */
final class RtpWallClock {
    /** A timestamp this far ahead of its arrival means a new RTP clock (a reconnect): re-anchor. */
    private static final Duration MAX_LEAD = Duration.ofSeconds(1);
    /** A timestamp this far behind its arrival is no late delivery but a discontinuity: re-anchor. */
    private static final Duration MAX_LAG = Duration.ofSeconds(10);

    private final Clock clock;
    private final long clockRate;
    private boolean anchored;
    private long lastRtp;
    private long rtpAnchor;
    private Instant wallAnchor;

    /**
     * @param clock     the arrival clock
     * @param clockRate the track's RTP clock rate in Hz (90,000 for video, 8,000 for G.711)
     */
    RtpWallClock(Clock clock, long clockRate) {
        this.clock = clock;
        this.clockRate = clockRate;
    }

    /**
     * @param rtp an RTP timestamp (32 bits) of the track
     * @return its wall-clock time
     */
    Instant at(long rtp) {
        Instant now = clock.instant();
        if (anchored) {
            long ext = RtpArithmetic.INSTANCE.extendTimestamp(lastRtp, rtp & 0xFFFFFFFFL);
            lastRtp = ext;
            Instant at = wallAnchor.plusNanos((ext - rtpAnchor) * 1_000_000_000L / clockRate);
            Duration lag = Duration.between(at, now);
            if (lag.compareTo(MAX_LEAD.negated()) >= 0 && lag.compareTo(MAX_LAG) <= 0) {
                return at;
            }
        }
        anchored = true;
        lastRtp = rtp & 0xFFFFFFFFL;
        rtpAnchor = lastRtp;
        wallAnchor = now;
        return now;
    }
}
