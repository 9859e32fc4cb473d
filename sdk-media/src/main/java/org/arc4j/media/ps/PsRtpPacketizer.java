package org.arc4j.media.ps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arc4j.media.rtp.RtpPacket;

/**
 * Cuts program stream packs into RTP packets as GB/T 28181 media carries them (RTP payload type 96 "PS/90000",
 * RFC 3550): the pack's bytes in order in payloads of at most {@code maxPayload} bytes, the 90 kHz timestamp of the
 * picture or audio frame on every packet, and the marker bit on the last packet of each pack. With
 * {@link PsMuxer} it sends media to an upper platform when cascading. Not thread-safe: one per stream.
 */
public final class PsRtpPacketizer {
    /** The payload type GB/T 28181 SDP announces for PS ({@code a=rtpmap:96 PS/90000}). */
    public static final int PAYLOAD_TYPE = 96;

    private final long ssrc;
    private final int maxPayload;
    private int sequence;

    /**
     * A packetiser.
     *
     * @param ssrc          the SSRC, which GB/T 28181 also puts in the SDP {@code y=} line
     * @param firstSequence the first sequence number, 0..65535 (random, RFC 3550 §5.1)
     * @param maxPayload    the largest payload, e.g. 1400 to stay under an Ethernet MTU
     */
    public PsRtpPacketizer(long ssrc, int firstSequence, int maxPayload) {
        if (ssrc < 0 || ssrc > 0xFFFFFFFFL || firstSequence < 0 || firstSequence > 0xFFFF || maxPayload < 16
                || maxPayload > 65_000) {
            throw new IllegalArgumentException("ssrc, sequence or payload size out of range");
        }
        this.ssrc = ssrc;
        this.sequence = firstSequence;
        this.maxPayload = maxPayload;
    }

    /**
     * The packets of one pack.
     *
     * @param pack      the pack's bytes, from {@link PsMuxer#video} or {@link PsMuxer#audio}
     * @param timestamp the frame's 90 kHz time (the PTS; its low 32 bits are sent)
     * @return the packets in order, the last with the marker bit
     */
    public List<RtpPacket> packetize(byte[] pack, long timestamp) {
        List<RtpPacket> out = new ArrayList<>(pack.length / maxPayload + 1);
        for (int at = 0; at < pack.length; at += maxPayload) {
            int end = Math.min(pack.length, at + maxPayload);
            out.add(new RtpPacket(end == pack.length, PAYLOAD_TYPE, sequence, timestamp & 0xFFFFFFFFL, ssrc, 0,
                    Arrays.copyOfRange(pack, at, end)));
            sequence = (sequence + 1) & 0xFFFF;
        }
        return out;
    }
}
