package org.arc4j.media.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The send half of a minimal G.711 RTP path: cuts a stream of G.711 codes into 20 ms packets (160 samples,
 * RFC 3551 default packetisation) with consecutive sequence numbers and timestamps, and sends DTMF keys as RFC 4733
 * telephone-events (one packet every 20 ms with the event's start timestamp and growing duration, the first with
 * the marker bit, the last three with the end bit). Not thread-safe: one sender per stream.
 */
public final class G711RtpSender {
    /** Samples per packet: 20 ms at 8 kHz. */
    public static final int FRAME = 160;

    private final int payloadType;
    private final int eventPayloadType;
    private final long ssrc;
    private int sequence;
    private long timestamp;
    private final byte[] pending = new byte[FRAME];
    private int pendingLength;

    /**
     * A sender.
     *
     * @param payloadType      {@link G711RtpReceiver#PCMU} or {@link G711RtpReceiver#PCMA}
     * @param eventPayloadType the negotiated telephone-event payload type, or -1
     * @param ssrc             the synchronisation source
     * @param sequence         the first sequence number
     * @param timestamp        the first timestamp
     */
    public G711RtpSender(int payloadType, int eventPayloadType, long ssrc, int sequence, long timestamp) {
        if (payloadType != G711RtpReceiver.PCMU && payloadType != G711RtpReceiver.PCMA) {
            throw new IllegalArgumentException("G.711 payload type is 0 or 8, not " + payloadType);
        }
        this.payloadType = payloadType;
        this.eventPayloadType = eventPayloadType;
        this.ssrc = ssrc & 0xFFFFFFFFL;
        this.sequence = sequence & 0xFFFF;
        this.timestamp = timestamp & 0xFFFFFFFFL;
    }

    /**
     * Packetises codes; a remainder shorter than a frame waits for the next call.
     *
     * @param codes G.711 codes, one per sample
     * @return the packets completed, in order
     */
    public List<byte[]> audio(byte[] codes) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < codes.length) {
            int n = Math.min(FRAME - pendingLength, codes.length - i);
            System.arraycopy(codes, i, pending, pendingLength, n);
            pendingLength += n;
            i += n;
            if (pendingLength == FRAME) {
                out.add(packet(false, payloadType, timestamp, Arrays.copyOf(pending, FRAME)));
                timestamp = (timestamp + FRAME) & 0xFFFFFFFFL;
                pendingLength = 0;
            }
        }
        return out;
    }

    /**
     * Sends a DTMF key as a telephone-event lasting a number of whole frames, in place of that much audio.
     *
     * @param key      the key
     * @param frames   how many 20 ms frames it lasts, at least 1
     * @param volume   its level, 0..63 (−dBm0)
     * @return the packets: one per frame, then two more copies of the final (end) packet
     */
    public List<byte[]> event(char key, int frames, int volume) {
        if (eventPayloadType < 0) {
            throw new IllegalStateException("no telephone-event payload type negotiated");
        }
        if (frames < 1) {
            throw new IllegalArgumentException("an event lasts at least one frame");
        }
        List<byte[]> out = new ArrayList<>();
        long start = timestamp;
        for (int f = 1; f <= frames; f++) {
            boolean end = f == frames;
            byte[] payload = TelephoneEvent.dtmf(key, end, volume, f * FRAME).encode();
            out.add(packet(f == 1, eventPayloadType, start, payload));
            if (end) {
                out.add(packet(false, eventPayloadType, start, payload));
                out.add(packet(false, eventPayloadType, start, payload));
            }
        }
        timestamp = (timestamp + (long) frames * FRAME) & 0xFFFFFFFFL;
        return out;
    }

    private byte[] packet(boolean marker, int pt, long ts, byte[] payload) {
        byte[] b = new RtpPacket(marker, pt, sequence, ts, ssrc, 0, payload).encode();
        sequence = (sequence + 1) & 0xFFFF;
        return b;
    }
}
