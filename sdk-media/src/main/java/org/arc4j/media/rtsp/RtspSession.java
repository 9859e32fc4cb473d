package org.arc4j.media.rtsp;

import java.net.URI;

/**
 * A running RTSP presentation made by {@link RtspClient#start}: it connects, describes, sets up every supported
 * track, plays, keeps the session alive and reconnects after failures until closed. Thread-safe.
 */
public interface RtspSession extends AutoCloseable {
    /** @return the current state */
    RtspState state();

    /** @return the URL played, without user information (safe to log) */
    URI uri();

    /** @return the transport in use or last used, null before the first SETUP succeeded */
    RtspTransport transport();

    /** @return how many connections were opened so far, the first one included */
    int connections();

    /**
     * Stops: sends TEARDOWN when playing (without waiting for the answer), closes the connection and cancels all
     * timers. Idempotent; the state becomes {@link RtspState#CLOSED}.
     */
    @Override
    void close();
}
