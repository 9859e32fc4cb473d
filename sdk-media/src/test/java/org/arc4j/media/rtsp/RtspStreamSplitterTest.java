package org.arc4j.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arc4j.media.rtp.InterleavedFrame;
import org.arc4j.media.rtsp.internal.RtspStreamSplitter;
import org.junit.jupiter.api.Test;

/** The splitter in front of Netty's RtspDecoder: RTSP messages and {@code $} frames (RFC 2326 §10.12) apart. */
class RtspStreamSplitterTest {
    private static final String BODY = "v=0\r\ns=price $5 each\r\n";
    private static final String DESCRIBE_200 = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n"
            + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;

    @Test
    void dollarInsideABodyIsNotAFrameAndFramesAroundMessagesComeOutWhole() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(frame(0, 5));
        in.writeBytes(DESCRIBE_200.getBytes(StandardCharsets.US_ASCII));
        in.writeBytes(frame(1, 300));
        in.writeBytes("GET_PARAMETER rtsp://h/ RTSP/1.0\r\nCSeq: 9\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        // byte by byte, then all at once: the same output
        for (boolean oneByOne : new boolean[] {true, false}) {
            List<Object> out = run(in.duplicate(), oneByOne);
            assertThat(out).hasSize(4);
            assertThat(((InterleavedFrame) out.get(0)).channel()).isEqualTo(0);
            assertThat(((InterleavedFrame) out.get(0)).content().readableBytes()).isEqualTo(5);
            assertThat(((ByteBuf) out.get(1)).toString(StandardCharsets.US_ASCII)).isEqualTo(DESCRIBE_200);
            assertThat(((InterleavedFrame) out.get(2)).content().readableBytes()).isEqualTo(300);
            assertThat(((ByteBuf) out.get(3)).toString(StandardCharsets.US_ASCII)).startsWith("GET_PARAMETER")
                    .endsWith("\r\n\r\n");
        }
    }

    @Test
    void frameLongerThanAnnouncedLeavesGarbageThatIsReportedOnceAndSkippedToTheNextFrame() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(frame(0, 10));
        in.writeBytes(new byte[] {0x11, 0x22, 0x33, (byte) 0x80, 0x60, 0x01, 'a', 'b'});   // 8 bytes too many
        in.writeBytes(frame(0, 12));
        in.writeBytes("RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        List<Object> out = run(in, false);
        assertThat(out).hasSize(4);
        assertThat(out.get(0)).isInstanceOf(InterleavedFrame.class);
        assertThat(out.get(1)).isEqualTo(new RtspStreamSplitter.Invalid(RtspErrorKind.FRAMING,
                "skipped bytes that are neither an interleaved frame nor an RTSP message, from 0x11", false));
        assertThat(((InterleavedFrame) out.get(2)).content().readableBytes()).isEqualTo(12);
        assertThat(((ByteBuf) out.get(3)).toString(StandardCharsets.US_ASCII)).startsWith("RTSP/1.0 200");
    }

    @Test
    void oversizedHeaderIsFatalAndNothingAfterItIsBuffered() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes("RTSP/1.0 200 OK\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII));
        in.writeBytes("a".repeat(2000).getBytes(StandardCharsets.US_ASCII));
        EmbeddedChannel ch = new EmbeddedChannel(new RtspStreamSplitter(1024, 65_535));
        ch.writeInbound(in);
        ch.writeInbound(Unpooled.wrappedBuffer(frame(0, 100)));
        assertThat(ch.<Object>readInbound()).isEqualTo(new RtspStreamSplitter.Invalid(RtspErrorKind.HEADER_TOO_LONG,
                "RTSP message header longer than 1024 bytes", true));
        assertThat(ch.<Object>readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void frameOverTheLimitIsSkippedUnbufferedAndTheStreamGoesOn() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(frame(2, 3000));
        in.writeBytes(frame(2, 100));
        List<Object> out = run(in, true);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(new RtspStreamSplitter.Invalid(RtspErrorKind.FRAMING,
                "interleaved frame of 3000 bytes on channel 2 over the limit 2048", false));
        assertThat(((InterleavedFrame) out.get(1)).content().readableBytes()).isEqualTo(100);
    }

    @Test
    void randomBytesNeverThrowAndNeverHoldMoreThanAHeader() {
        Random random = new Random(Long.getLong("arc4j.seed", 4242));
        for (int round = 0; round < 200; round++) {
            byte[] b = new byte[random.nextInt(4000)];
            random.nextBytes(b);
            EmbeddedChannel ch = new EmbeddedChannel(new RtspStreamSplitter(1024, 2048));
            ch.writeInbound(Unpooled.wrappedBuffer(b));
            Object o;
            while ((o = ch.readInbound()) != null) {
                io.netty.util.ReferenceCountUtil.release(o);
            }
            ch.finishAndReleaseAll();
        }
    }

    private static List<Object> run(ByteBuf in, boolean oneByOne) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspStreamSplitter(1024, 2048));
        if (oneByOne) {
            while (in.isReadable()) {
                ch.writeInbound(in.readRetainedSlice(1));
            }
        } else {
            ch.writeInbound(in.retainedDuplicate());
        }
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        ch.finish();
        return out;
    }

    private static byte[] frame(int channel, int length) {
        byte[] b = new byte[4 + length];
        b[0] = '$';
        b[1] = (byte) channel;
        b[2] = (byte) (length >> 8);
        b[3] = (byte) length;
        for (int i = 4; i < b.length; i++) {
            b[i] = (byte) (i % 7 == 0 ? '$' : 'R');   // '$' and start-line letters inside payloads are payload
        }
        return b;
    }
}
