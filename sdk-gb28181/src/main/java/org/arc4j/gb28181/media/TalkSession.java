package org.arc4j.gb28181.media;

import java.net.InetSocketAddress;

/**
 * Two-way talk with a device (语音对讲): the platform INVITEd the device's audio channel with a send-and-receive
 * G.711 offer and the device answered. {@link #send} carries the platform's audio to the device exactly as a
 * {@linkplain BroadcastSession broadcast} does; the device's audio reaches the {@link TalkListener}. Thread-safe.
 * Close it to send BYE.
 */
public interface TalkSession extends BroadcastSession {
    /**
     * The SSRC of the audio the platform sends: the one it offered in {@code y=} (GB/T 28181-2016 Annex F).
     *
     * @return the SSRC
     */
    @Override
    long ssrc();

    /** @return the platform's audio port, where the device's RTP arrives */
    InetSocketAddress localAudioAddress();

    /** @return the device's SSRC in its answer's {@code y=}, or null when it gave none */
    String answeredSsrc();

    /** @return G.711 RTP packets received from the device so far */
    long packetsReceived();
}
