package org.arc4j.media.rtp;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The receive half of a minimal G.711 RTP path (RFC 3550, RFC 3551 payload types 0 PCMU and 8 PCMA, 20 ms frames)
 * with RFC 4733 telephone-events, enough to carry a PSTN alarm call from a VoIP gateway or SIP trunk into a
 * Contact ID receiver session: audio is handed on with its position on a continuous 8 kHz sample clock taken from
 * the RTP timestamps; each DTMF event is handed on once, when it ends, with its start and end on the same clock.
 *
 * <p>Packets pass through a {@link JitterBuffer}: one that arrives out of order, up to {@link #DEFAULT_DEPTH}
 * packets behind, is put back in its place; one that arrives after its place was given up, or twice, is dropped
 * (a gap in the timestamps reaches the sink as a jump in sample time, which the session treats as silence); a
 * change of SSRC restarts the clock. Not thread-safe: one receiver per stream.
 */
public final class G711RtpReceiver {
    /** RTP payload type of G.711 µ-law. */
    public static final int PCMU = 0;
    /** RTP payload type of G.711 A-law. */
    public static final int PCMA = 8;

    /** Receives audio and events. */
    public interface Sink {
        /**
         * G.711 audio.
         *
         * @param payloadType {@link #PCMU} or {@link #PCMA}
         * @param codes       one G.711 code per sample
         * @param sampleTime  the sample-clock position of the first code
         */
        void audio(int payloadType, byte[] codes, long sampleTime);

        /**
         * A DTMF key signalled as an RFC 4733 event.
         *
         * @param key         {@code 0}–{@code 9}, {@code *}, {@code #}, {@code A}–{@code D}
         * @param startSample where the event began on the sample clock
         * @param endSample   where it ended
         */
        default void telephoneEvent(char key, long startSample, long endSample) {
        }
    }

    /** How many packets may wait behind a missing one by default: 4 × 20 ms. */
    public static final int DEFAULT_DEPTH = 4;

    private final int eventPayloadType;
    private final Sink sink;
    private final JitterBuffer buffer;
    private final LongSupplier nanoTime;
    private boolean started;
    private long ssrc;
    private long base;
    private long lastExtended;
    private long next;
    private long lastEventStart = Long.MIN_VALUE;
    private long dropped;

    /**
     * A receiver.
     *
     * @param eventPayloadType the dynamic payload type negotiated for telephone-event (e.g. 101), or -1 for none
     * @param sink             receives audio and events on the calling thread
     */
    public G711RtpReceiver(int eventPayloadType, Sink sink) {
        this(eventPayloadType, DEFAULT_DEPTH, System::nanoTime, sink);
    }

    /**
     * A receiver with a chosen reorder depth and arrival clock.
     *
     * @param eventPayloadType the dynamic payload type negotiated for telephone-event (e.g. 101), or -1 for none
     * @param depth            how many packets may wait behind a missing one (0: no reordering)
     * @param nanoTime         a monotonic nanosecond clock stamping arrivals, for the jitter figure only
     * @param sink             receives audio and events on the calling thread
     */
    public G711RtpReceiver(int eventPayloadType, int depth, LongSupplier nanoTime, Sink sink) {
        this.eventPayloadType = eventPayloadType;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.buffer = new JitterBuffer(depth, 8000, this::play);
    }

    /** @return what the reorder buffer has counted (loss, late, duplicates, jitter) for the current source */
    public ReceptionStatistics statistics() {
        return buffer.statistics();
    }

    /**
     * Hands on the packets held behind a gap, giving the gap up; for a timer to call when they have waited long
     * enough (e.g. every 100 ms).
     */
    public void flush() {
        buffer.flush();
    }

    /** @return packets dropped so far (late, duplicate, unknown payload type, malformed) */
    public long dropped() {
        return dropped;
    }

    /**
     * Takes one datagram.
     *
     * @param datagram the bytes
     * @param off      first byte
     * @param len      length
     * @return the decoded packet, or why the datagram was not one
     */
    public RtpDecodeResult receive(byte[] datagram, int off, int len) {
        RtpDecodeResult r = RtpPacket.decode(datagram, off, len);
        if (!(r instanceof RtpDecodeResult.Valid v)) {
            dropped++;
            return r;
        }
        RtpDecodeResult.Invalid bad = receive(v.packet());
        return bad != null ? bad : r;
    }

    /**
     * Takes one packet already decoded, e.g. by a transport that reads RFC 4571 frames or after a security layer
     * replaced its payload.
     *
     * @param p the packet
     * @return null when it was taken (or dropped as late, a duplicate or of another payload type), or why its
     *         telephone-event payload is not one
     */
    public RtpDecodeResult.Invalid receive(RtpPacket p) {
        int pt = p.payloadType();
        if (pt != PCMU && pt != PCMA && pt != eventPayloadType) {
            dropped++;
            return null;
        }
        if (pt == eventPayloadType && TelephoneEvent.decode(p.payload()) == null) {
            dropped++;
            return new RtpDecodeResult.Invalid(RtpError.BAD_EVENT, p.payloadLength() + " bytes");
        }
        if (buffer.offer(p, nanoTime.getAsLong()) != JitterBuffer.Outcome.ACCEPTED) {
            dropped++;
        }
        return null;
    }

    private void play(RtpPacket p) {
        int pt = p.payloadType();
        if (!started || p.ssrc() != ssrc) {
            started = true;
            ssrc = p.ssrc();
            base = p.timestamp();
            lastExtended = 0;
            next = 0;
            lastEventStart = Long.MIN_VALUE;
        }
        long t = extend(p.timestamp());
        if (pt == eventPayloadType) {
            TelephoneEvent e = TelephoneEvent.decode(p.payload());
            if (e.end() && t != lastEventStart && e.key() != 0) {
                lastEventStart = t;
                sink.telephoneEvent(e.key(), t, t + e.duration());
            }
            return;
        }
        byte[] codes = p.payload();
        long end = t + codes.length;
        if (end <= next) {
            dropped++;
            return;
        }
        if (t < next) {
            codes = Arrays.copyOfRange(codes, (int) (next - t), codes.length);
            t = next;
        }
        next = end;
        sink.audio(pt, codes, t);
    }

    private long extend(long timestamp) {
        long rel = (timestamp - base) & 0xFFFFFFFFL;
        int delta = (int) (rel - (lastExtended & 0xFFFFFFFFL));
        long ext = lastExtended + delta;
        if (ext > lastExtended) {
            lastExtended = ext;
        }
        return ext;
    }
}
