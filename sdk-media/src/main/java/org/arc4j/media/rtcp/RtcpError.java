package org.arc4j.media.rtcp;

/** Why bytes are not an RTCP compound packet (RFC 3550 §6.1, validity checks of Appendix A.2). */
public enum RtcpError {
    /** Shorter than a header, or than what a header announces. */
    TOO_SHORT,
    /** The version is not 2. */
    BAD_VERSION,
    /** A length field runs past the compound packet. */
    BAD_LENGTH,
    /** Padding on a packet other than the last, or a padding count larger than the packet. */
    BAD_PADDING,
    /** The first packet is not an SR or RR. */
    NOT_REPORT_FIRST,
    /** A report or source count announces more than the packet holds. */
    BAD_COUNT,
    /** An SDES chunk or item runs past its packet. */
    BAD_SDES
}
