package org.arc4j.gb28181.media;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A voice broadcast to a device's loudspeaker (GB/T 28181-2016 §9.12): the platform announced it with a
 * {@code Broadcast} notification, the device INVITEd the platform and the platform answered; G.711 audio now goes
 * to the device over RTP, over UDP or over TCP as the device's offer asked. Thread-safe. Close it to send BYE.
 */
public interface BroadcastSession extends MediaDialog, AutoCloseable {
    /** @return the device */
    @Override
    String deviceId();

    /** @return the device's audio output channel the broadcast goes to */
    String targetId();

    /** @return the audio channel, {@link #targetId()} */
    @Override
    default String channelId() {
        return targetId();
    }

    /** @return the dialog's Call-ID (the device's INVITE for a broadcast, the platform's for a talk) */
    @Override
    String callId();

    /**
     * @return how the audio travels: UDP, or RTP over TCP with RFC 4571 framing, the platform listening
     *         ({@link MediaTransport#TCP_PASSIVE}) or connecting ({@link MediaTransport#TCP_ACTIVE})
     */
    MediaTransport transport();

    /** @return the RTP payload type the device chose: 8 (PCMA, G.711 A-law) or 0 (PCMU, μ-law) */
    int payloadType();

    /** @return the SSRC of the RTP sent, as the device's offer gave it in {@code y=} (or the platform chose) */
    long ssrc();

    /** @return where the audio goes: the device's address and port from its SDP */
    InetSocketAddress remoteAudioAddress();

    /**
     * Sends audio: cut into 20 ms RTP packets (160 codes each; a remainder waits for the next call). The caller
     * paces it in real time.
     *
     * @param codes G.711 codes of the device's payload type, one per sample at 8 kHz
     * @return RTP packets sent
     * @throws IOException if sending fails
     * @throws IllegalStateException once the session has ended
     */
    int send(byte[] codes) throws IOException;

    /** @return true once ended (BYE either way) */
    boolean isClosed();

    /** Ends the broadcast with a BYE. Idempotent. */
    @Override
    void close();
}
