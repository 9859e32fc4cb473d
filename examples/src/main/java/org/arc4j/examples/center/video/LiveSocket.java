package org.arc4j.examples.center.video;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.arc4j.media.clip.AudioCodec;
import org.arc4j.media.clip.AudioTrack;
import org.arc4j.media.clip.Fmp4Segmenter;
import org.arc4j.media.clip.MseLiveStream;

/**
 * One browser's live view of a camera on {@code /ws/video} (no {@code from}), fed by the camera's shared
 * {@link MseLiveStream}: the same messages as a pre-record stream ({@link MseStream}) — a text message
 * {@code {"type":"start","mime","firstFrameAt","live":true,…}}, the initialisation segment, one media segment per group
 * of pictures, raw G.711 frames for a page that asked — so the page plays both alike. Media time 0 is the live
 * stream's first key frame, not this viewer's: the page seeks to where its buffer starts. A notice of what the browser
 * cannot play comes as {@code {"type":"notice","reason","message"}}. Called on the stream's executor, one call at a
 * time; a socket that does not keep up is closed with 1008 (the page reconnects from the newest key frame).
 */
final class LiveSocket implements MseLiveStream.Listener {
    private final CameraFeed feed;
    private final Channel channel;
    private volatile MseLiveStream.Subscription subscription;

    LiveSocket(CameraFeed feed, Channel channel) {
        this.feed = feed;
        this.channel = channel;
    }

    /** @param s this viewer's subscription, closed with the socket */
    void subscription(MseLiveStream.Subscription s) {
        this.subscription = s;
        channel.closeFuture().addListener(f -> s.close());
    }

    @Override
    public void onInit(String mimeType, byte[] segment) {
        if (!writable()) {
            return;
        }
        Instant origin = feed.liveOrigin();
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("type", "start");
        m.put("camera", feed.config.id());
        m.put("mime", mimeType);
        m.put("codec", feed.codec().name());
        m.put("firstFrameAt", origin == null ? null : origin.toString());
        m.put("live", true);
        AudioTrack a = feed.audioTrack();
        if (a != null) {
            m.put("audio", a.codec().name());
        }
        channel.write(new TextWebSocketFrame(m.toString()));
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(segment)));
    }

    @Override
    public void onSegment(Fmp4Segmenter.Segment segment) {
        if (writable()) {
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(segment.bytes())));
        }
    }

    @Override
    public void onUnplayable(MseLiveStream.Unplayable notice) {
        if (writable()) {
            channel.writeAndFlush(new TextWebSocketFrame(JsonNodeFactory.instance.objectNode().put("type", "notice")
                    .put("reason", notice.reason().name()).put("message", notice.message()).toString()));
        }
    }

    /** Raw G.711 as {@link MseStream} sends it: the codec's name, the media time in ms (8 bytes), the samples. */
    @Override
    public void onG711(AudioCodec codec, long timestamp, byte[] frame) {
        byte[] name = (codec == AudioCodec.G711A ? "PCMA" : "PCMU").getBytes(StandardCharsets.US_ASCII);
        ByteBuf b = Unpooled.buffer(12 + frame.length);
        b.writeBytes(name).writeLong(timestamp / 90).writeBytes(frame);
        if (writable()) {
            channel.writeAndFlush(new BinaryWebSocketFrame(b));
        } else {
            b.release();
        }
    }

    private boolean writable() {
        MseLiveStream.Subscription s = subscription;
        if (!channel.isActive()) {
            if (s != null) {
                s.close();
            }
            return false;
        }
        if (!channel.isWritable()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1008, "too slow"));
            channel.close();
            return false;
        }
        return true;
    }
}
