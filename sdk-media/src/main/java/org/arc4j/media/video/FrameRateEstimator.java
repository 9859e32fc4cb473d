package org.arc4j.media.video;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.arc4j.media.rtp.RtpArithmetic;

/**
 * Estimates a stream's frame rate from the 90 kHz timestamps of successive access units (RFC 6184 §5.1 and
 * RFC 7798 §4.1 put the presentation instant in the RTP timestamp). Access units arrive in decoding order, so with
 * B-pictures their timestamps jump back and forth: the recent timestamps are put in presentation order and the
 * median of the gaps between neighbours taken, so reordering, a lost frame or a late one does not move it. For
 * streams whose SPS carries no VUI timing, and to check GA 1383's video verification frame rate (≥ 15 fps). Not
 * thread-safe.
 */
public final class FrameRateEstimator {
    private final long[] recent;
    private int count;
    private int next;
    private boolean have;
    private long last;

    /**
     * An estimator.
     *
     * @param window how many recent timestamps to keep, 2..1024
     */
    public FrameRateEstimator(int window) {
        if (window < 2 || window > 1024) {
            throw new IllegalArgumentException("window " + window);
        }
        this.recent = new long[window];
    }

    /**
     * Takes the next access unit's timestamp.
     *
     * @param timestamp the 90 kHz timestamp (RTP timestamps wrap at 32 bits; they are unwrapped here)
     */
    public void add(long timestamp) {
        long t = have ? RtpArithmetic.INSTANCE.extendTimestamp(last, timestamp & 0xFFFFFFFFL)
                : timestamp & 0xFFFFFFFFL;
        have = true;
        last = t;
        recent[next] = t;
        next = (next + 1) % recent.length;
        count = Math.min(count + 1, recent.length);
    }

    /** @return frames per second, once two distinct timestamps are known */
    public OptionalDouble framesPerSecond() {
        long[] s = Arrays.copyOf(recent, count);
        Arrays.sort(s);
        long[] gaps = new long[Math.max(0, count - 1)];
        int n = 0;
        for (int i = 1; i < count; i++) {
            if (s[i] > s[i - 1]) {
                gaps[n++] = s[i] - s[i - 1];
            }
        }
        if (n == 0) {
            return OptionalDouble.empty();
        }
        Arrays.sort(gaps, 0, n);
        return OptionalDouble.of(90_000.0 / gaps[n / 2]);
    }
}
