package org.arc4j.media.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Evenly spaced pictures for picture verification (GA 1383 报警复核: at least 4 pictures per second): from frames in
 * time order, the frame nearest each tick of a fixed rate, each frame used at most once. Stateless and
 * thread-safe: use {@link #INSTANCE}.
 */
public final class PictureSampler {
    /** The singleton. */
    public static final PictureSampler INSTANCE = new PictureSampler();
    /** GA 1383's least picture rate for verification. */
    public static final double MIN_RATE = 4.0;

    private PictureSampler() {
    }

    /**
     * Samples frames at a rate over a period.
     *
     * @param frames        the frames in time order (pictures, or key frames of video)
     * @param from          the first tick
     * @param to            the end of the period (exclusive)
     * @param perSecond     pictures per second, positive
     * @param tolerance     how far from its tick a frame may be to stand for it
     * @return one frame per tick that has a frame within the tolerance, in order
     */
    public List<BufferedFrame> sample(List<BufferedFrame> frames, Instant from, Instant to, double perSecond,
                                      Duration tolerance) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        long stepNanos = Math.round(1_000_000_000L / perSecond);
        long tol = tolerance.toNanos();
        List<BufferedFrame> out = new ArrayList<>();
        int i = 0;
        int lastUsed = -1;
        for (Instant tick = from; tick.isBefore(to); tick = tick.plusNanos(stepNanos)) {
            while (i + 1 < frames.size() && distance(frames.get(i + 1).at(), tick) <= distance(frames.get(i).at(), tick)) {
                i++;
            }
            if (i < frames.size() && i != lastUsed && distance(frames.get(i).at(), tick) <= tol) {
                out.add(frames.get(i));
                lastUsed = i;
            }
        }
        return out;
    }

    private static long distance(Instant a, Instant b) {
        return Math.abs(Duration.between(a, b).toNanos());
    }
}
