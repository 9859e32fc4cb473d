package org.arc4j.gb28181.media;

import org.arc4j.media.rtp.RtpPacket;

/**
 * A hook on every RTP packet a media session receives, before reordering and demultiplexing, for a security layer
 * such as GB 35114 (payload decryption, signature checks) to plug in. With {@link org.arc4j.gb28181.sip.SipInterceptor}
 * it covers signalling and media. Called on the session's network thread: thread-safe, non-blocking.
 */
@FunctionalInterface
public interface RtpPayloadInterceptor {
    /**
     * A received packet.
     *
     * @param session the session it belongs to
     * @param packet  the packet as received
     * @return the payload to use (the plain PS, H.264 or H.265 bytes), or null to drop the packet
     */
    byte[] inbound(MediaSession session, RtpPacket packet);
}
