package org.arc4j.media.buffer;

import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One byte budget shared by every pre-alarm buffer of a centre (video, audio and pictures of all channels).
 *
 * <p>The buffers keep their frames on the Java heap, as the byte arrays the depacketisers already made: no copy on
 * the way in, nothing to free by hand, and a collector such as ZGC moves old buffers concurrently. What that costs
 * is stated in {@link #bytesPerChannel}: a 1080P channel at GA 1383's 8,192 kbit/s holds about 31 MB for 30 s, so
 * a 16 GB budget holds about 500 such channels (720P at 4,096 kbit/s: about 1,000).
 *
 * <p>Over budget, a buffer that receives a frame first gives up its own oldest group of pictures — never the
 * newest video, and never below one group, so it always starts decodable — and {@link #overruns()} counts it,
 * with a warning in the log at most once a minute of frames. Thread-safe.
 */
public final class BufferBudget {
    private static final Logger LOG = LoggerFactory.getLogger(BufferBudget.class);

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final Counter overruns;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param limitBytes the bytes all buffers may hold together, positive
     * @param metrics    where {@code media.buffer.overruns} is counted
     */
    public BufferBudget(long limitBytes, Metrics metrics) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("budget must be positive: " + limitBytes);
        }
        this.limit = limitBytes;
        this.overruns = metrics.counter("media.buffer.overruns");
    }

    /**
     * What one channel needs for a depth at a bitrate.
     *
     * @param kbitPerSecond the stream's bitrate, kbit/s
     * @param seconds       the depth
     * @return bytes, with one extra group of pictures (two seconds) for the IDR alignment
     */
    public static long bytesPerChannel(int kbitPerSecond, int seconds) {
        return (long) kbitPerSecond * 1000 / 8 * (seconds + 2);
    }

    /** @return the limit in bytes */
    public long limit() {
        return limit;
    }

    /** @return the bytes held now by all buffers */
    public long used() {
        return used.get();
    }

    /** @return how often a buffer had to give up its oldest video early because the budget was spent */
    public long overruns() {
        return overruns.count();
    }

    /** @return true while the buffers together hold more than the limit */
    boolean over() {
        return used.get() > limit;
    }

    void add(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    void overrun(String channel, long frameMillis) {
        overruns.increment();
        long last = lastWarning.get();
        if (frameMillis - last >= 60_000 && lastWarning.compareAndSet(last, frameMillis)) {
            LOG.warn("pre-alarm buffers over their budget of {} bytes: channel {} keeps less than its depth",
                    limit, channel);
        }
    }
}
