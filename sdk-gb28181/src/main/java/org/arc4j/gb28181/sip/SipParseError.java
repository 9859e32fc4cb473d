package org.arc4j.gb28181.sip;

/**
 * Why bytes could not be read as a SIP message. Each is answered with {@code 400 Bad Request} carrying
 * {@link #reason()} (RFC 3261 §21.4.1 allows a more specific reason phrase) when enough of the request was read
 * to address a response; otherwise the bytes are dropped and counted.
 */
public enum SipParseError {
    /** Nothing but whitespace. */
    EMPTY("Empty message"),
    /** The start line is neither a Request-Line nor a Status-Line (RFC 3261 §7.1, §7.2). */
    START_LINE_MALFORMED("Malformed start line"),
    /** The SIP-Version is not SIP/2.0. */
    UNSUPPORTED_VERSION("Unsupported SIP version"),
    /** The status code is not three digits from 100 to 699. */
    STATUS_CODE_INVALID("Invalid status code"),
    /** A header line has no colon or an invalid name (RFC 3261 §7.3.1). */
    HEADER_MALFORMED("Malformed header"),
    /** A line exceeds the line length limit. */
    LINE_TOO_LONG("Line too long"),
    /** More header lines than the limit. */
    TOO_MANY_HEADERS("Too many headers"),
    /** The header section does not end with an empty line. */
    HEADERS_UNTERMINATED("Header section not terminated"),
    /** The message exceeds the size limit. */
    MESSAGE_TOO_LARGE("Message too large"),
    /** Content-Length is not a non-negative integer, or two differ. */
    CONTENT_LENGTH_INVALID("Invalid Content-Length"),
    /** A stream-framed message has no Content-Length (RFC 3261 §18.3: mandatory on TCP). */
    CONTENT_LENGTH_MISSING("Missing Content-Length"),
    /** One of To, From, CSeq, Call-ID, Via is missing (RFC 3261 §8.1.1). */
    MISSING_HEADER("Missing mandatory header"),
    /** CSeq is not {@code number method}, or its method differs from the request's (RFC 3261 §8.2.2.3). */
    CSEQ_INVALID("Invalid CSeq"),
    /** A Via value cannot be parsed (RFC 3261 §20.42). */
    VIA_INVALID("Invalid Via");

    private final String reason;

    SipParseError(String reason) {
        this.reason = reason;
    }

    /** @return the reason phrase for the 400 response */
    public String reason() {
        return reason;
    }
}
