package org.arc4j.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP stream into RTP or RTCP packets framed by a 16-bit length (RFC 4571 §2). Emits each packet as a
 * {@link ByteBuf} (the caller releases it), or a {@link TcpFramingInvalid} for a frame that is empty or longer than
 * the limit; such a frame is skipped without being buffered, so the stream stays in step. Buffers at most one
 * frame. One instance per channel (not sharable).
 */
public final class Rfc4571FrameDecoder extends ByteToMessageDecoder {
    /** The largest length the 16-bit field can announce. */
    public static final int MAX_LENGTH = 0xFFFF;

    private final int maxLength;
    private int skipping;

    /**
     * A decoder.
     *
     * @param maxLength the longest frame accepted, 1..{@value #MAX_LENGTH}
     */
    public Rfc4571FrameDecoder(int maxLength) {
        if (maxLength < 1 || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("maxLength " + maxLength);
        }
        this.maxLength = maxLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (skipping > 0) {
                int n = Math.min(skipping, in.readableBytes());
                in.skipBytes(n);
                skipping -= n;
                if (skipping > 0) {
                    return;
                }
            }
            if (in.readableBytes() < 2) {
                return;
            }
            int length = in.getUnsignedShort(in.readerIndex());
            if (length == 0) {
                in.skipBytes(2);
                out.add(new TcpFramingInvalid(TcpFramingError.EMPTY_FRAME, -1, 0));
                continue;
            }
            if (length > maxLength) {
                in.skipBytes(2);
                skipping = length;
                out.add(new TcpFramingInvalid(TcpFramingError.FRAME_TOO_LONG, -1, length));
                continue;
            }
            if (in.readableBytes() < 2 + length) {
                return;
            }
            in.skipBytes(2);
            out.add(in.readRetainedSlice(length));
        }
    }
}
