package org.arc4j.media.rtp;

/** Why a frame of RTP over a byte stream was refused (RFC 4571 §2, RFC 2326 §10.12). */
public enum TcpFramingError {
    /** The length field announces more than the decoder's limit; the frame is skipped unread. */
    FRAME_TOO_LONG,
    /** The length field is zero: no packet (RFC 4571 allows it on the wire; it carries nothing). */
    EMPTY_FRAME
}
