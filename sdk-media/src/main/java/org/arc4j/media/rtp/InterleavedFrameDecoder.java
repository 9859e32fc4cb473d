package org.arc4j.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an RTSP connection carrying interleaved media (RFC 2326 §10.12: {@code '$'}, a channel byte, a 16-bit
 * length, the packet) into {@link InterleavedFrame}s. Bytes that do not begin with {@code '$'} are RTSP messages
 * (responses, or requests from the server); they are passed on unchanged as {@link ByteBuf}s, cut before the next
 * {@code '$'}, for an RTSP decoder after this one to reassemble. Caveat: a {@code '$'} inside an RTSP message body
 * cuts the message there, so bodies (SDP) should be exchanged before media starts, as RTSP clients do.
 *
 * <p>A frame longer than the limit, or empty, becomes a {@link TcpFramingInvalid} and is skipped unbuffered. One
 * instance per channel (not sharable).
 */
public final class InterleavedFrameDecoder extends ByteToMessageDecoder {
    private static final byte DOLLAR = '$';

    private final int maxLength;
    private int skipping;

    /**
     * A decoder.
     *
     * @param maxLength the longest frame accepted, 1..65535
     */
    public InterleavedFrameDecoder(int maxLength) {
        if (maxLength < 1 || maxLength > Rfc4571FrameDecoder.MAX_LENGTH) {
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
            if (!in.isReadable()) {
                return;
            }
            if (in.getByte(in.readerIndex()) != DOLLAR) {
                int dollar = in.indexOf(in.readerIndex(), in.writerIndex(), DOLLAR);
                int n = (dollar < 0 ? in.writerIndex() : dollar) - in.readerIndex();
                out.add(in.readRetainedSlice(n));
                continue;
            }
            if (in.readableBytes() < 4) {
                return;
            }
            int channel = in.getUnsignedByte(in.readerIndex() + 1);
            int length = in.getUnsignedShort(in.readerIndex() + 2);
            if (length == 0) {
                in.skipBytes(4);
                out.add(new TcpFramingInvalid(TcpFramingError.EMPTY_FRAME, channel, 0));
                continue;
            }
            if (length > maxLength) {
                in.skipBytes(4);
                skipping = length;
                out.add(new TcpFramingInvalid(TcpFramingError.FRAME_TOO_LONG, channel, length));
                continue;
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
        }
    }
}
