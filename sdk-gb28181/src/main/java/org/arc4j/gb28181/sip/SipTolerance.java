package org.arc4j.gb28181.sip;

/**
 * Deviations from RFC 3261 that the parser accepts because devices in the field send them; each is reported
 * on the parsed result so that adapters can count them per device.
 */
public enum SipTolerance {
    /** Lines end with a bare LF instead of CRLF (RFC 3261 §7 requires CRLF). */
    BARE_LF,
    /**
     * Over UDP, Content-Length differs from the bytes after the header section: the datagram boundary is
     * taken as the end of the body, since devices miscount (typically counting LF-only line ends) and cutting
     * an XML body at the declared length would destroy it. RFC 3261 §18.3 would discard or truncate.
     */
    CONTENT_LENGTH_MISMATCH,
    /** Over UDP, Content-Length is absent; the body runs to the end of the datagram (RFC 3261 §18.3). */
    CONTENT_LENGTH_ABSENT,
    /** Empty lines before the start line (RFC 3261 §7.5 says to ignore them). */
    LEADING_EMPTY_LINES,
    /** A header value was continued on a following line (obsolete line folding, RFC 3261 §7.3.1). */
    FOLDED_HEADER
}
