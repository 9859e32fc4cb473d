package org.arc4j.media.rtp;

import java.util.Objects;

/** What {@link RtpPacket#decode} made of a datagram. */
public sealed interface RtpDecodeResult permits RtpDecodeResult.Valid, RtpDecodeResult.Invalid {
    /**
     * An RTP packet.
     *
     * @param packet the packet
     */
    record Valid(RtpPacket packet) implements RtpDecodeResult {
        /** Validates the packet is present. */
        public Valid {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /**
     * Not an RTP packet.
     *
     * @param error  why
     * @param detail a human-readable detail
     */
    record Invalid(RtpError error, String detail) implements RtpDecodeResult {
        /** Validates the error is present. */
        public Invalid {
            Objects.requireNonNull(error, "error");
        }
    }
}
