package org.arc4j.media.rtp;

/** Why a datagram is not an RTP packet (RFC 3550 §5.1, §5.3.1). */
public enum RtpError {
    /** Shorter than the fixed header and the contributing sources it announces. */
    TOO_SHORT,
    /** The version is not 2. */
    BAD_VERSION,
    /** The header extension runs past the packet. */
    BAD_EXTENSION,
    /** The padding count is zero or larger than the packet. */
    BAD_PADDING,
    /** A telephone-event payload (RFC 4733) is not four bytes long. */
    BAD_EVENT
}
