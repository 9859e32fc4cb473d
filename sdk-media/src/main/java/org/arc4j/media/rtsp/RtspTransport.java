package org.arc4j.media.rtsp;

/** How media reaches the client (RFC 2326 §12.39, the {@code Transport} header). */
public enum RtspTransport {
    /** RTP and RTCP interleaved on the RTSP connection ({@code RTP/AVP/TCP;interleaved=n-m}, RFC 2326 §10.12). */
    TCP_INTERLEAVED,
    /** RTP and RTCP on a pair of UDP ports of the client ({@code RTP/AVP;unicast;client_port=n-m}). */
    UDP
}
