package org.arc4j.media.rtsp;

/** Where an {@link RtspSession} is in its life (RFC 2326 §A.1, the client state machine, plus reconnection). */
public enum RtspState {
    /** Opening the TCP connection. */
    CONNECTING,
    /** OPTIONS, DESCRIBE and SETUP are in progress. */
    SETTING_UP,
    /** PLAY was answered with 200; media flows and keep-alives are sent. */
    PLAYING,
    /** The connection failed or was given up; a new attempt is scheduled after a back-off. */
    RECONNECTING,
    /** Closed by the application or by an error that retrying cannot fix; final. */
    CLOSED
}
