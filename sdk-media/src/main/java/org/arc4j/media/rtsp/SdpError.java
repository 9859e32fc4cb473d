package org.arc4j.media.rtsp;

/** Why a session description (RFC 8866, as RTSP's DESCRIBE carries it, RFC 2326 §C) was refused. */
public enum SdpError {
    /** Longer than the parser's limit. */
    TOO_LONG,
    /** Does not begin with {@code v=0} (RFC 8866 §5.1). */
    NOT_SDP,
    /** A line is not {@code <type>=<value>} with a one-letter type. */
    BAD_LINE,
    /** An {@code m=} line without media, port, protocol and a format (RFC 8866 §5.14). */
    BAD_MEDIA,
    /** An {@code a=rtpmap} that is not {@code <payload type> <encoding>/<clock rate>} (RFC 8866 §6.6). */
    BAD_RTPMAP,
    /** No {@code m=} line at all, as a description cut short in transit (truncated body) ends. */
    NO_MEDIA,
    /** A control attribute that is not a URI (RFC 2326 §C.1.1). */
    BAD_CONTROL
}
