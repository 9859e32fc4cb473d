package org.arc4j.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 4571 and RTSP interleaved framing, fed in arbitrary pieces. */
class FramingDecoderTest {
    private static byte[] rtp(int seq, int size) {
        return new RtpPacket(false, 96, seq, seq, 1, 0, new byte[size]).encode();
    }

    private static List<Object> feedInPieces(EmbeddedChannel ch, byte[] stream, Random r) {
        int at = 0;
        while (at < stream.length) {
            int n = Math.min(stream.length - at, 1 + r.nextInt(40));
            ch.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
            at += n;
        }
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    @Test
    void rfc4571FramesInPiecesWithTooLongAndEmptyFramesSkipped() {
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("FramingDecoderTest seed " + seed);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            byte[] p = rtp(i, i == 7 ? 300 : 20 + i);
            s.write(p.length >> 8);
            s.write(p.length);
            s.writeBytes(p);
            if (i == 3) {
                s.write(0);
                s.write(0);
            }
        }
        EmbeddedChannel ch = new EmbeddedChannel(new Rfc4571FrameDecoder(200));
        List<Object> out = feedInPieces(ch, s.toByteArray(), new Random(seed));
        List<Integer> seqs = new ArrayList<>();
        List<TcpFramingInvalid> errors = new ArrayList<>();
        for (Object o : out) {
            if (o instanceof ByteBuf b) {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                seqs.add(((RtpDecodeResult.Valid) RtpPacket.decode(bytes, 0, bytes.length)).packet().sequence());
            } else {
                errors.add((TcpFramingInvalid) o);
            }
        }
        assertThat(seqs).as("seed %d", seed).containsExactly(0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19);
        assertThat(errors).containsExactly(new TcpFramingInvalid(TcpFramingError.EMPTY_FRAME, -1, 0),
                new TcpFramingInvalid(TcpFramingError.FRAME_TOO_LONG, -1, 312));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void interleavedFramesBetweenRtspMessages() {
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("FramingDecoderTest seed " + seed);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        String reply = "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 12345678\r\n\r\n";
        s.writeBytes(reply.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 10; i++) {
            byte[] p = rtp(i, i == 5 ? 2000 : 30);
            s.write('$');
            s.write(i % 2);
            s.write(p.length >> 8);
            s.write(p.length);
            s.writeBytes(p);
        }
        s.writeBytes(reply.getBytes(StandardCharsets.US_ASCII));
        EmbeddedChannel ch = new EmbeddedChannel(new InterleavedFrameDecoder(1500));
        List<Object> out = feedInPieces(ch, s.toByteArray(), new Random(seed));
        StringBuilder text = new StringBuilder();
        List<String> frames = new ArrayList<>();
        for (Object o : out) {
            if (o instanceof InterleavedFrame f) {
                frames.add(f.channel() + ":" + f.content().getUnsignedShort(2));
                f.release();
            } else if (o instanceof ByteBuf b) {
                text.append(b.toString(StandardCharsets.US_ASCII));
                b.release();
            } else {
                assertThat(o).isEqualTo(new TcpFramingInvalid(TcpFramingError.FRAME_TOO_LONG, 1, 2012));
            }
        }
        assertThat(frames).as("seed %d", seed).containsExactly("0:0", "1:1", "0:2", "1:3", "0:4", "0:6", "1:7",
                "0:8", "1:9");
        assertThat(text.toString()).isEqualTo(reply + reply);
    }
}
