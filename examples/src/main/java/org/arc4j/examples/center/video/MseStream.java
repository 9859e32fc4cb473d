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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.clip.AudioCodec;
import org.arc4j.media.clip.AudioTrack;
import org.arc4j.media.clip.Fmp4Segmenter;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.AnnexB;
import org.arc4j.media.video.VideoCodec;

/**
 * One camera's video to one browser over a WebSocket ({@code /ws/video}), as fragmented MP4 for Media Source
 * Extensions: first a text message {@code {"type":"start","mime":…,"firstFrameAt":…,"camera":…}} (the type for
 * {@code addSourceBuffer}, and the wall-clock time of media time 0), then the initialisation segment and one media
 * segment per group of pictures, each a binary message.
 *
 * <p>The frames come from the camera's receive path and only queue here; one task at a time on the executor cuts
 * and sends them, so the event loop never waits. A browser that does not keep up (the channel stays unwritable) is
 * closed with 1008: it reconnects from the newest key frame. H.265 is sent too (its type says {@code hvc1}); the
 * console shows it as not playable where the browser says so. A camera's AAC goes into the segments (the type names
 * it too); its G.711 audio, for a page that asked for it
 * ({@code audio=g711}), goes raw between the segments, each message the codec's name, the media time and the
 * samples; the start message names its codec ({@code "audio":"G711A"}). Thread-safe.
 */
final class MseStream implements Consumer<BufferedFrame> {
    private final CameraFeed feed;
    private final Channel channel;
    private final Executor executor;
    /** What the feed's audio goes to: queued like the pictures. */
    final Consumer<AudioFrame> audio = this::enqueue;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final boolean live;
    private final boolean rawG711;
    // the writer's state: touched only by the task on the executor
    private Fmp4Segmenter segmenter;
    private VideoCodec codec;
    private Instant origin;
    private boolean announced;
    private volatile boolean closed;

    /**
     * @param rawG711 whether the page takes G.711 raw (AAC goes into the segments whatever it says)
     */
    MseStream(CameraFeed feed, Channel channel, Executor executor, boolean live, boolean rawG711) {
        this.rawG711 = rawG711;
        this.feed = feed;
        this.channel = channel;
        this.executor = executor;
        this.live = live;
        channel.closeFuture().addListener(f -> close());
    }

    @Override
    public void accept(BufferedFrame f) {
        enqueue(f);
    }

    private void enqueue(Object f) {
        if (closed) {
            return;
        }
        queue.add(f);
        if (wip.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Object f;
            while ((f = queue.poll()) != null) {
                if (closed) {
                    continue;
                }
                if (f instanceof BufferedFrame b) {
                    write(b);
                } else {
                    write((AudioFrame) f);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void write(BufferedFrame f) {
        if (segmenter == null) {
            codec = feed.codec();
            if (codec == null || !f.key()) {
                return;
            }
            origin = f.at();
            AudioTrack a = feed.audioTrack();
            segmenter = Fmp4Segmenter.builder().video(codec).parameterSets(feed.parameterSets())
                    .audio(a != null && a.codec().browserPlayable() ? a : null)
                    .metadata(Map.of("comment", "camera " + feed.config.id())).build(this::send);
        }
        AccessUnit au = new AccessUnit(codec, ticks(f.at()), AnnexB.INSTANCE.split(f.bytes(), 0, f.bytes().length),
                true);
        segmenter.video(au);
    }

    /** @return a wall-clock time as a 90 kHz timestamp from the first picture sent */
    private long ticks(Instant at) {
        return Duration.between(origin, at).toNanos() * 9 / 100_000 & 0xFFFFFFFFL;
    }

    /**
     * AAC goes into the segments, with the pictures of its time. G.711, which MSE cannot play in MP4, goes raw as its own binary message for the page's Web Audio: the codec's
     * name ({@code PCMA} or {@code PCMU}, whose first byte tells it from an MP4 box, whose size starts with 0), the
     * frame's media time in milliseconds (8 bytes, big-endian; the time of the pictures' media time 0 is in the
     * start message), then the samples. Audio before the first picture is left out.
     */
    private void write(AudioFrame a) {
        if (segmenter == null || a.at().isBefore(origin)) {
            return;
        }
        if (segmenter.audioTrack() != null) {
            if (a.track().codec() == segmenter.audioTrack().codec()) {
                segmenter.audio(ticks(a.at()), a.bytes());
            }
            return;
        }
        if (!rawG711 || !announced || a.track().codec().browserPlayable()) {
            return;
        }
        byte[] name = (a.track().codec() == AudioCodec.G711A ? "PCMA" : "PCMU").getBytes(StandardCharsets.US_ASCII);
        ByteBuf b = Unpooled.buffer(12 + a.bytes().length);
        b.writeBytes(name).writeLong(Duration.between(origin, a.at()).toMillis()).writeBytes(a.bytes());
        if (writable()) {
            channel.writeAndFlush(new BinaryWebSocketFrame(b));
        } else {
            b.release();
        }
    }

    /** @return whether the browser keeps up; one that does not is closed with 1008 (it reconnects) */
    private boolean writable() {
        if (!channel.isActive()) {
            close();
            return false;
        }
        if (!channel.isWritable()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1008, "too slow"));
            channel.close();
            close();
            return false;
        }
        return true;
    }

    private void send(Fmp4Segmenter.Segment s) {
        if (!writable()) {
            return;
        }
        if (!announced) {
            announced = true;
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            m.put("type", "start");
            m.put("camera", feed.config.id());
            m.put("mime", segmenter.mimeType());
            m.put("codec", codec.name());
            m.put("firstFrameAt", origin.toString());
            m.put("live", live);
            AudioTrack a = feed.audioTrack();
            if (a != null) {
                m.put("audio", a.codec().name());
            }
            channel.write(new TextWebSocketFrame(m.toString()));
        }
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(s.bytes())));
    }

    void close() {
        if (!closed) {
            closed = true;
            feed.unsubscribe(this);
            feed.unsubscribeAudio(audio);
            queue.clear();
        }
    }
}
