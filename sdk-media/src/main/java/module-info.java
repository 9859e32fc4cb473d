/**
 * arc4j media: RTP (RFC 3550) and RTP over TCP (RFC 4571), H.264/H.265 access units, MPEG-PS, RTSP client,
 * pre-alarm ring buffers and alarm clip recording.
 */
module org.arc4j.media {
    requires transitive org.arc4j.core;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;

    exports org.arc4j.media.rtp;
}
