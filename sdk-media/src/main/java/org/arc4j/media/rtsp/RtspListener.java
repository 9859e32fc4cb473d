package org.arc4j.media.rtsp;

import org.arc4j.media.rtcp.RtcpPacket;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoInvalid;

/**
 * Receives what an {@link RtspSession} produces. Called on the session's event-loop thread, one call at a time and
 * in order; implementations must return quickly (hand slow work to another executor) and must not block.
 */
public interface RtspListener {
    /**
     * A complete picture from a video track (H.264 or H.265), depacketised after reordering.
     *
     * @param track the media section it came from
     * @param au    the access unit
     */
    default void accessUnit(MediaDescription track, AccessUnit au) {
    }

    /**
     * An RTP packet of a track that is not depacketised here (audio, data), in order.
     *
     * @param track  the media section
     * @param packet the packet
     */
    default void rtp(MediaDescription track, RtpPacket packet) {
    }

    /**
     * A sender report from the server for a track (RFC 3550 §6.4.1): with {@code RtpClockMapping.of(sr, clockRate)}
     * it gives the wall-clock time of each picture. The client itself answers with receiver reports every 5 s.
     *
     * @param track the media section
     * @param sr    the report
     */
    default void senderReport(MediaDescription track, RtcpPacket.SenderReport sr) {
    }

    /**
     * A problem in a video track's payload (lost fragment, bad NAL header); the depacketiser resynchronises itself.
     *
     * @param track the media section
     * @param why   what
     */
    default void videoInvalid(MediaDescription track, VideoInvalid why) {
    }

    /**
     * The session changed state.
     *
     * @param state       the new state
     * @param description the current session description, null before the first DESCRIBE succeeded
     */
    default void state(RtspState state, SessionDescription description) {
    }

    /**
     * An error; the session reconnects after a back-off unless its state becomes {@link RtspState#CLOSED}.
     *
     * @param error what happened
     */
    default void error(RtspError error) {
    }
}
