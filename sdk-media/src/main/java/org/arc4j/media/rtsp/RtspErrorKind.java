package org.arc4j.media.rtsp;

/** The kinds of {@link RtspError}. */
public enum RtspErrorKind {
    /** The TCP connection could not be opened. */
    CONNECT_FAILED,
    /** The connection was closed by the server or the network. */
    CONNECTION_LOST,
    /** No response to a request within the response timeout. */
    RESPONSE_TIMEOUT,
    /** Nothing at all (no RTP, no RTSP) arrived within the read-idle timeout while playing: the classic hang. */
    READ_IDLE,
    /** 401 again after answering the challenge, or a 401 without a challenge this client can answer. */
    AUTHENTICATION_FAILED,
    /** A status other than 2xx and 401 (RFC 2326 §7.1.1). */
    BAD_STATUS,
    /** A response that Netty's RTSP decoder or this client cannot use (no CSeq, no Session, bad Transport). */
    BAD_RESPONSE,
    /** An RTSP message header longer than the limit; the connection is dropped, as no resynchronisation is safe. */
    HEADER_TOO_LONG,
    /** Bytes that are neither an interleaved frame nor an RTSP message, e.g. after a frame longer than announced. */
    FRAMING,
    /** The DESCRIBE body is not a usable session description (see {@link SdpError}). */
    BAD_SDP,
    /** The description has no media section this client can receive. */
    NO_SUPPORTED_MEDIA,
    /** The server refused every transport in the preference list (461, or a Transport header it did not honour). */
    TRANSPORT_REFUSED
}
