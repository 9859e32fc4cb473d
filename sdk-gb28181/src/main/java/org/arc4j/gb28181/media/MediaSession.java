package org.arc4j.gb28181.media;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * An established GB/T 28181 media session: the INVITE dialog with a device and the RTP stream it sends to the
 * platform. Thread-safe. Close it when done: it sends BYE and releases the port.
 */
public interface MediaSession extends AutoCloseable {
    /** @return what was asked for */
    MediaRequest request();

    /** @return the dialog's Call-ID */
    String callId();

    /** @return the SSRC the platform offered in {@code y=} (GB/T 28181-2016 Annex F), as 10 decimal digits */
    String offeredSsrc();

    /**
     * The SSRC the device announced in its answer's {@code y=}; some devices answer with another SSRC than the
     * offered one or with none, and the platform takes the stream either way.
     *
     * @return the answered SSRC, or null when the answer had none
     */
    String answeredSsrc();

    /** @return the SSRC of the RTP actually received, or -1 before the first packet */
    long receivedSsrc();

    /** @return the platform's media address (UDP or TCP); for {@link MediaTransport#TCP_ACTIVE} the local end */
    InetSocketAddress localMediaAddress();

    /** @return the device's media address from its answer ({@code c=} and {@code m=}) */
    InetSocketAddress remoteMediaAddress();

    /** @return RTP packets taken so far */
    long packets();

    /** @return video access units handed to the listener so far */
    long videoFrames();

    /**
     * Resumes a playback (MANSRTSP {@code PLAY} in an INFO, GB/T 28181-2016 Annex B), optionally at another
     * speed.
     *
     * @param scale the speed: 1.0 normal, 0.25–4 slow or fast, negative for reverse where the device can
     * @return the device's answer status
     */
    CompletionStage<Integer> play(double scale);

    /**
     * Pauses a playback (MANSRTSP {@code PAUSE}).
     *
     * @return the device's answer status
     */
    CompletionStage<Integer> pause();

    /**
     * Moves a playback to a point of its range (MANSRTSP {@code PLAY} with {@code Range: npt=…-}).
     *
     * @param secondsFromStart where, in seconds from the start of the requested range
     * @return the device's answer status
     */
    CompletionStage<Integer> seek(long secondsFromStart);

    /**
     * Ends the session: BYE to the device, the media port closed, and what was received handed to the listener
     * (the demuxer keeps the last access unit until the next begins; it is delivered now). The listener's
     * {@link MediaListener#onClosed} then gets a null failure. Idempotent.
     */
    @Override
    void close();
}
