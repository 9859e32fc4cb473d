/**
 * arc4j media, the codec half of the video plane: RTP (RFC 3550) with a reorder buffer and reception statistics,
 * RTCP sender and receiver reports, RTP over TCP (RFC 4571 and RTSP interleaved framing as Netty decoders), the
 * minimal G.711 audio path with RFC 4733 telephone-events, H.264 (RFC 6184) and H.265 (RFC 7798) depacketisers
 * producing access units with an SPS parser, the MPEG program stream demuxer and muxer of GB/T 28181 media, an
 * RTSP client (RFC 2326: TCP interleaved and UDP, Basic and Digest, keep-alive, watchdog, reconnection) with SDP
 * parsing, and pre-alarm buffers ({@code buffer}) that keep the last 10–30 s of each channel's video, audio and
 * pictures under one byte budget, and a stream quality monitor ({@code quality}) that reports video below 15 fps
 * as a GA 1383 video fault with each stream's bitrate, loss and jitter, and fragmented MP4 ({@code clip}: H.264 and
 * H.265 with AAC or G.711 audio) for alarm clips recorded into the store and for live view in browsers through Media
 * Source Extensions.
 */
module org.arc4j.media {
    requires transitive org.arc4j.core;
    requires org.slf4j;
    requires io.netty.common;
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires transitive io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;

    exports org.arc4j.media.rtp;
    exports org.arc4j.media.rtcp;
    exports org.arc4j.media.video;
    exports org.arc4j.media.ps;
    exports org.arc4j.media.buffer;
    exports org.arc4j.media.quality;
    exports org.arc4j.media.clip;
    exports org.arc4j.media.rtsp;
}
