package org.arc4j.gb28181.media;

import org.arc4j.media.ps.PsInvalid;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.video.AccessUnit;

/**
 * Receives what a media session carries. Video and audio arrive on the session's network thread, in order, one
 * call at a time; a listener must not block (hand slow work, such as disk writes, to its own executor). The
 * session-state callbacks may come from the SIP or timer threads.
 */
public interface MediaListener {
    /**
     * A video access unit demultiplexed from the device's program stream.
     *
     * @param session the session
     * @param type    the stream type (H.264, H.265, …)
     * @param unit    the access unit, its timestamp the 90 kHz PTS
     */
    void onVideo(MediaSession session, PsStreamType type, AccessUnit unit);

    /**
     * One audio frame: a PES payload (G.711, AAC …) of the program stream or, from a device whose SDP answer maps a
     * payload type to {@code MPEG4-GENERIC} (GB/T 28181-2022 gives AAC no fixed one), an AAC access unit of RTP
     * (RFC 3640) given an ADTS header, so that AAC reaches the listener the same way by either path.
     *
     * @param session the session
     * @param type    the stream type
     * @param pts     its 90 kHz PTS (for RTP AAC, its RTP timestamp on a 90 kHz clock), or -1
     * @param data    the payload
     */
    default void onAudio(MediaSession session, PsStreamType type, long pts, byte[] data) {
    }

    /**
     * Something in the stream that was refused or tolerated (garbage, a truncated PES after packet loss); the
     * session carries on.
     *
     * @param session the session
     * @param invalid what and where
     */
    default void onInvalid(MediaSession session, PsInvalid invalid) {
    }

    /**
     * An RTCP sender report from the source of the session's stream (RFC 3550 §6.4.1); the session's
     * {@link MediaSession#clockMapping()} already holds its mapping when this is called. Called on the session's
     * network thread.
     *
     * @param session the session
     * @param report  the report
     */
    default void onSenderReport(MediaSession session, org.arc4j.media.rtcp.RtcpPacket.SenderReport report) {
    }

    /**
     * The device reported the end of the recording (MediaStatus, NotifyType 121, GB/T 28181-2016 §9.8.3) for a
     * playback or download. The session stays open until the platform or device sends BYE.
     *
     * @param session the session
     */
    default void onEndOfFile(MediaSession session) {
    }

    /**
     * The session ended: called once.
     *
     * @param session the session
     * @param failure why, or null when the platform closed it with {@link MediaSession#close()}
     */
    void onClosed(MediaSession session, MediaFailure failure);
}
