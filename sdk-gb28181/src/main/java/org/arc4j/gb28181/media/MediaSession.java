package org.arc4j.gb28181.media;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * An established GB/T 28181 media session: the INVITE dialog with a device and the RTP stream it sends to the
 * platform. Thread-safe. Close it when done: it sends BYE and releases the port.
 */
public interface MediaSession extends MediaDialog, AutoCloseable {
    /** @return what was asked for */
    MediaRequest request();

    /** @return the device, as in the request */
    @Override
    default String deviceId() {
        return request().deviceId();
    }

    /** @return the channel, as in the request */
    @Override
    default String channelId() {
        return request().channelId();
    }

    /** @return the dialog's Call-ID */
    @Override
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
     * The wall-clock time of the device's RTP timestamps, from the last RTCP sender report of the stream's source
     * (RFC 3550 §6.4.1): {@code clockMapping().wallClock(unit.timestamp())} is when the device captured an access
     * unit, by the device's clock. Sender reports come to the port above the media port over UDP, and on the media
     * connection itself over TCP (RFC 4571 framing, where the device sends them there).
     *
     * @return the mapping, or null before the first sender report of the source the session takes
     */
    org.arc4j.media.rtcp.RtpClockMapping clockMapping();

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
