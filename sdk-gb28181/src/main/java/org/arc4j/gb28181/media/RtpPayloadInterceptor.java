package org.arc4j.gb28181.media;

import org.arc4j.media.rtp.RtpPacket;

/**
 * A hook on every RTP packet a media dialog receives (the video and audio of a {@link MediaSession}, the device's
 * audio in a {@link TalkSession}), before reordering and demultiplexing, for a security layer such as GB 35114
 * (payload decryption, signature checks) to plug in. With {@link org.arc4j.gb28181.sip.SipInterceptor} it covers
 * signalling and media. RTCP does not pass through it. Called on the dialog's network thread: thread-safe,
 * non-blocking.
 */
@FunctionalInterface
public interface RtpPayloadInterceptor {
    /**
     * A received packet.
     *
     * @param dialog the dialog it belongs to: a {@link MediaSession} or a {@link TalkSession}
     * @param packet the packet as received
     * @return the payload to use (the plain PS, H.264, H.265, AAC or G.711 bytes), or null to drop the packet
     */
    byte[] inbound(MediaDialog dialog, RtpPacket packet);
}
