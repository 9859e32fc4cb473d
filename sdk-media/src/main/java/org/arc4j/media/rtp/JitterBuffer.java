package org.arc4j.media.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A reorder buffer for one RTP source with bounded depth and the reception accounting of RFC 3550 (§6.4.1,
 * Appendix A.1 sequence validation, A.3 loss, A.8 interarrival jitter).
 *
 * <p>Packets in sequence are handed on at once, so an undisturbed stream gains no delay. A packet behind a gap is
 * held; at most {@code depth} packets wait, and when one more arrives the oldest gap is given up as lost and the
 * held packets flow on. A packet that arrives after its place was given up is counted {@link Outcome#LATE} and
 * dropped (its audio or video would be out of order); one seen before is a {@link Outcome#DUPLICATE}. A jump of
 * more than {@value #MAX_DROPOUT} ahead or {@value #MAX_MISORDER} behind is {@link Outcome#DISCARDED} until a
 * second packet confirms it, which restarts the counting (A.1). A new SSRC restarts everything.
 *
 * <p>Callers with a timer call {@link #flush()} when held packets have waited too long. Not thread-safe: one
 * buffer per source, driven by one thread (an event loop).
 */
public final class JitterBuffer {
    /** The largest forward jump taken as loss rather than a restart (RFC 3550 A.1). */
    public static final int MAX_DROPOUT = 3000;
    /** The largest backward jump taken as reordering rather than a restart (RFC 3550 A.1). */
    public static final int MAX_MISORDER = 100;
    /** The largest depth accepted. */
    public static final int MAX_DEPTH = 1024;
    // larger than MAX_DEPTH + MAX_MISORDER, so a late packet is never taken for one a wrap of this history later
    private static final int HISTORY = 2048;

    /** What became of an offered packet. */
    public enum Outcome {
        /** Handed on, or held behind a gap to be handed on in order. */
        ACCEPTED,
        /** Seen before; dropped. */
        DUPLICATE,
        /** Arrived after its place was given up as lost; dropped. */
        LATE,
        /** Far outside the sequence (a possible restart not yet confirmed); dropped. */
        DISCARDED
    }

    /** Receives the packets in sequence order. */
    @FunctionalInterface
    public interface Sink {
        /**
         * The next packet in sequence order.
         *
         * @param packet the packet
         */
        void packet(RtpPacket packet);
    }

    private static final RtpArithmetic SEQ = RtpArithmetic.INSTANCE;

    private final RtpPacket[] ring;
    private final long[] ringSeq;
    private final long[] seen = new long[HISTORY / 64];
    private final double unitsPerNano;
    private final Sink sink;

    private boolean started;
    private long ssrc;
    private long firstExt;
    private long maxExt;
    private long nextExt;
    private int held;
    private int badSequence = -1;

    private long received;
    private long late;
    private long duplicates;
    private long discarded;
    private long expectedPrior;
    private long receivedPrior;

    private boolean haveTransit;
    private long firstArrival;
    private double lastArrivalUnits;
    private long lastTimestamp;
    private double jitter;

    /**
     * A buffer.
     *
     * @param depth     how many packets may wait behind a missing one, 0..{@value #MAX_DEPTH} (0: no reordering)
     * @param clockRate the payload's RTP clock in Hz (8000 for G.711, 90000 for video), for the jitter figure
     * @param sink      receives packets in order, on the thread that calls {@link #offer} or {@link #flush}
     */
    public JitterBuffer(int depth, int clockRate, Sink sink) {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth " + depth + " not in 0.." + MAX_DEPTH);
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clockRate " + clockRate);
        }
        this.ring = new RtpPacket[depth + 1];
        this.ringSeq = new long[depth + 1];
        this.unitsPerNano = clockRate / 1e9;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** @return packets waiting behind a gap */
    public int held() {
        return held;
    }

    /**
     * Offers a received packet.
     *
     * @param packet       the packet
     * @param arrivalNanos when it arrived, on any monotonic nanosecond clock (for the jitter figure only)
     * @return what became of it
     */
    public Outcome offer(RtpPacket packet, long arrivalNanos) {
        if (!started || packet.ssrc() != ssrc) {
            if (started) {
                flush();
            }
            restart(packet);
        }
        long ext = SEQ.extendSequence(maxExt, packet.sequence());
        long ahead = ext - maxExt;
        if (ahead > MAX_DROPOUT || ext < nextExt - MAX_MISORDER) {
            if (packet.sequence() != badSequence) {
                badSequence = (packet.sequence() + 1) & 0xFFFF;
                discarded++;
                return Outcome.DISCARDED;
            }
            // two packets in a row far away: the source restarted its numbering (A.1)
            flush();
            long keepDiscarded = discarded;
            restart(packet);
            discarded = keepDiscarded;
            ext = maxExt;
        }
        badSequence = -1;
        if (ext < nextExt) {
            if (nextExt - ext <= HISTORY && isSeen(ext)) {
                duplicates++;
                return Outcome.DUPLICATE;
            }
            if (nextExt - ext <= HISTORY) {
                markSeen(ext);
            }
            received++;
            late++;
            jitter(packet, arrivalNanos);
            return Outcome.LATE;
        }
        int slot = Math.floorMod(ext, ring.length);
        if (ring[slot] != null && ringSeq[slot] == ext) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        received++;
        markSeen(ext);
        jitter(packet, arrivalNanos);
        if (ext > maxExt) {
            maxExt = ext;
        }
        while (ext >= nextExt + ring.length) {
            releaseOrSkipOne();
        }
        ring[slot] = packet;
        ringSeq[slot] = ext;
        held++;
        drainInOrder();
        return Outcome.ACCEPTED;
    }

    /** Hands on every held packet in order, giving up the gaps between them (for a timer to call). */
    public void flush() {
        while (held > 0) {
            releaseOrSkipOne();
        }
    }

    /**
     * The figures so far; the interval figure ({@code fractionLost}) is 0 here: see {@link #intervalReport()}.
     *
     * @return a snapshot
     */
    public ReceptionStatistics statistics() {
        return snapshot(0);
    }

    /**
     * The figures for an RTCP report block: as {@link #statistics()}, with the fraction lost since the previous
     * call (RFC 3550 A.3), and starts a new interval.
     *
     * @return a snapshot
     */
    public ReceptionStatistics intervalReport() {
        long expected = started ? maxExt - firstExt + 1 : 0;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        long lostInterval = expectedInterval - receivedInterval;
        expectedPrior = expected;
        receivedPrior = received;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        return snapshot(Math.min(fraction, 255));
    }

    private ReceptionStatistics snapshot(int fraction) {
        long expected = started ? maxExt - firstExt + 1 : 0;
        return new ReceptionStatistics(ssrc, started ? maxExt : 0, expected, received, expected - received, fraction,
                jitter, late, duplicates, discarded);
    }

    private void restart(RtpPacket packet) {
        started = true;
        ssrc = packet.ssrc();
        firstExt = packet.sequence();
        maxExt = firstExt;
        nextExt = firstExt;
        received = 0;
        late = 0;
        duplicates = 0;
        discarded = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        haveTransit = false;
        jitter = 0;
        badSequence = -1;
        Arrays.fill(seen, 0);
    }

    private void releaseOrSkipOne() {
        int slot = Math.floorMod(nextExt, ring.length);
        RtpPacket p = ring[slot];
        if (p != null && ringSeq[slot] == nextExt) {
            ring[slot] = null;
            held--;
            sink.packet(p);
        } else {
            // given up as lost: forget whatever this history bit said a wrap ago, so a late arrival is not
            // mistaken for a duplicate
            clearSeen(nextExt);
        }
        nextExt++;
    }

    private void drainInOrder() {
        while (held > 0) {
            int slot = Math.floorMod(nextExt, ring.length);
            RtpPacket p = ring[slot];
            if (p == null || ringSeq[slot] != nextExt) {
                return;
            }
            ring[slot] = null;
            held--;
            nextExt++;
            sink.packet(p);
        }
    }

    private void jitter(RtpPacket packet, long arrivalNanos) {
        if (!haveTransit) {
            haveTransit = true;
            firstArrival = arrivalNanos;
            lastArrivalUnits = 0;
            lastTimestamp = packet.timestamp();
            return;
        }
        // relative to the first arrival so the conversion to timestamp units cannot overflow (A.8)
        double arrivalUnits = (arrivalNanos - firstArrival) * unitsPerNano;
        double d = (arrivalUnits - lastArrivalUnits) - SEQ.timestampDelta(lastTimestamp, packet.timestamp());
        jitter += (Math.abs(d) - jitter) / 16.0;
        lastArrivalUnits = arrivalUnits;
        lastTimestamp = packet.timestamp();
    }

    private boolean isSeen(long ext) {
        int bit = (int) Math.floorMod(ext, (long) HISTORY);
        return (seen[bit >>> 6] & (1L << bit)) != 0;
    }

    private void clearSeen(long ext) {
        int bit = (int) Math.floorMod(ext, (long) HISTORY);
        seen[bit >>> 6] &= ~(1L << bit);
    }

    private void markSeen(long ext) {
        int bit = (int) Math.floorMod(ext, (long) HISTORY);
        seen[bit >>> 6] |= 1L << bit;
    }
}
