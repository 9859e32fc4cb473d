package org.arc4j.media.rtcp;

import java.util.List;
import java.util.Objects;

/** What {@link RtcpCodec#decode} made of a datagram. */
public sealed interface RtcpDecodeResult permits RtcpDecodeResult.Valid, RtcpDecodeResult.Invalid {
    /**
     * A compound packet.
     *
     * @param packets its packets in order
     */
    record Valid(List<RtcpPacket> packets) implements RtcpDecodeResult {
        /** Copies the packets. */
        public Valid {
            packets = List.copyOf(packets);
        }
    }

    /**
     * Not one.
     *
     * @param error  why
     * @param offset the offset of the packet at fault, from the start of the compound packet
     * @param detail a human-readable detail
     */
    record Invalid(RtcpError error, int offset, String detail) implements RtcpDecodeResult {
        /** Validates the error is present. */
        public Invalid {
            Objects.requireNonNull(error, "error");
        }
    }
}
