package org.arc4j.media.video;

/** Why RTP video payload or a parameter set was refused (RFC 6184 §5.6–§5.8, RFC 7798 §4.4, H.264/H.265 §7). */
public enum VideoError {
    /** The payload is empty or shorter than its headers. */
    TOO_SHORT,
    /** The NAL or payload header is invalid: the forbidden bit set, a reserved type, or H.265 TemporalId 0. */
    BAD_NAL_HEADER,
    /** A packet type this depacketiser does not handle (STAP-B, MTAP, FU-B, PACI; interleaved mode). */
    UNSUPPORTED_PACKET,
    /** A fragment arrived with no start fragment before it; dropped until the next start. */
    FRAGMENT_WITHOUT_START,
    /** Packets were lost inside a fragmented NAL unit; it is dropped. */
    FRAGMENT_LOST,
    /** A fragmentation header has both the start and end bits set (RFC 6184 §5.8, RFC 7798 §4.4.3). */
    BAD_FRAGMENT_HEADER,
    /** An aggregation packet's NAL unit sizes run past the packet, or one is zero. */
    AGGREGATE_TRUNCATED,
    /** A NAL unit or access unit grew beyond the configured bound; it is dropped. */
    TOO_LARGE,
    /** Sequence numbers jumped: packets were lost between access units or inside one. */
    PACKETS_LOST,
    /** A parameter set ends before its syntax does (exp-Golomb or fixed fields run past the end). */
    SPS_TRUNCATED,
    /** A parameter set field has a value outside its range. */
    SPS_BAD_VALUE
}
