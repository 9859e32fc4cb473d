package org.arc4j.media.video;

import java.util.List;
import org.arc4j.media.rtp.RtpPacket;

/**
 * Turns RTP packets of one video stream, in sequence order (after a {@code JitterBuffer}), into access units:
 * {@link H264Depacketizer} (RFC 6184) and {@link H265Depacketizer} (RFC 7798). Never throws on bad payload: what it
 * refuses reaches {@link Sink#invalid} and it resynchronises on the next start of a NAL unit.
 */
public sealed interface Depacketizer permits H264Depacketizer, H265Depacketizer {
    /** Receives access units and refusals, on the thread that calls {@link #receive}. */
    interface Sink {
        /**
         * A complete access unit: its marker bit was seen, or a packet with the next timestamp arrived.
         *
         * @param unit the access unit
         */
        void accessUnit(AccessUnit unit);

        /**
         * Something refused.
         *
         * @param invalid what and why
         */
        default void invalid(VideoInvalid invalid) {
        }
    }

    /**
     * Takes the next packet.
     *
     * @param packet the packet, in sequence order
     */
    void receive(RtpPacket packet);

    /** Hands on the access unit being gathered, if any (at the end of a stream). */
    void flush();

    /** @return the latest parameter sets seen (SDP or in-band), in the order VPS, SPS, PPS */
    List<byte[]> parameterSets();
}
