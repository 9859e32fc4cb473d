package org.arc4j.media.video;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.arc4j.media.rtp.RtpArithmetic;

/**
 * Estimates a stream's frame rate from the 90 kHz timestamps of successive access units (RFC 6184 §5.1 and
 * RFC 7798 §4.1 put the sampling instant in the RTP timestamp): the median of the recent positive differences, so a
 * lost frame or a late one does not move it. For streams whose SPS carries no VUI timing, and to check GA 1383's
 * verification frame rate (≥ 15 fps, "视音频复核"). Not thread-safe.
 */
public final class FrameRateEstimator {
    private final long[] deltas;
    private int count;
    private int next;
    private boolean have;
    private long last;

    /**
     * An estimator.
     *
     * @param window how many recent differences to keep, 1..1024
     */
    public FrameRateEstimator(int window) {
        if (window < 1 || window > 1024) {
            throw new IllegalArgumentException("window " + window);
        }
        this.deltas = new long[window];
    }

    /**
     * Takes the next access unit's timestamp.
     *
     * @param timestamp the 90 kHz timestamp (wraps at 32 bits for RTP)
     */
    public void add(long timestamp) {
        if (have) {
            long d = RtpArithmetic.INSTANCE.timestampDelta(last & 0xFFFFFFFFL, timestamp & 0xFFFFFFFFL);
            if (d > 0) {
                deltas[next] = d;
                next = (next + 1) % deltas.length;
                count = Math.min(count + 1, deltas.length);
            }
        }
        have = true;
        last = timestamp;
    }

    /** @return frames per second, once at least one difference is known */
    public OptionalDouble framesPerSecond() {
        if (count == 0) {
            return OptionalDouble.empty();
        }
        long[] s = Arrays.copyOf(deltas, count);
        Arrays.sort(s);
        return OptionalDouble.of(90_000.0 / s[count / 2]);
    }
}
