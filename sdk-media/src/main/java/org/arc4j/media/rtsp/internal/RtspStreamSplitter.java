package org.arc4j.media.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.arc4j.media.rtp.InterleavedFrame;
import org.arc4j.media.rtsp.RtspErrorKind;

/**
 * Sits in front of Netty's {@code RtspDecoder} on an RTSP connection that carries interleaved media (RFC 2326
 * §10.12) and cuts the byte stream into whole RTSP messages (header and {@code Content-Length} body, passed on as
 * one {@link ByteBuf}) and {@link InterleavedFrame}s. Unlike a splitter that cuts at every {@code '$'}, it knows
 * where each message ends, so a {@code '$'} inside an SDP body is not taken for a frame.
 *
 * <p>Bounds: a message header longer than {@code maxHeader} (or a body longer than {@code maxBody}) is a
 * {@link Invalid} with {@code fatal = true}, after which everything is discarded (no safe resynchronisation exists
 * inside a text message); bytes that begin neither a frame nor an RTSP start line (for example the tail of a frame
 * longer than its length said) are skipped up to the next {@code '$'} and reported once per run as a non-fatal
 * {@link Invalid}; a frame over {@code maxFrame} is skipped unbuffered. One instance per channel.
 */
public final class RtspStreamSplitter extends ByteToMessageDecoder {
    /**
     * A refused part of the stream, passed down the pipeline in place of a message.
     *
     * @param kind   {@link RtspErrorKind#HEADER_TOO_LONG} or {@link RtspErrorKind#FRAMING}
     * @param detail what was seen
     * @param fatal  true when the connection cannot go on
     */
    public record Invalid(RtspErrorKind kind, String detail, boolean fatal) {
    }

    private static final byte DOLLAR = '$';
    private static final int MAX_BODY = 64 * 1024;

    private final int maxHeader;
    private final int maxFrame;
    private int skipping;
    private boolean inGarbage;
    private boolean dead;

    /**
     * A splitter.
     *
     * @param maxHeader the longest message header, start line to blank line inclusive
     * @param maxFrame  the longest interleaved frame
     */
    public RtspStreamSplitter(int maxHeader, int maxFrame) {
        this.maxHeader = maxHeader;
        this.maxFrame = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (dead) {
                in.skipBytes(in.readableBytes());
                return;
            }
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
            int start = in.readerIndex();
            byte first = in.getByte(start);
            if (first == DOLLAR) {
                if (in.readableBytes() < 4) {
                    return;
                }
                inGarbage = false;
                int channel = in.getUnsignedByte(start + 1);
                int length = in.getUnsignedShort(start + 2);
                if (length > maxFrame) {
                    in.skipBytes(4);
                    skipping = length;
                    out.add(new Invalid(RtspErrorKind.FRAMING, "interleaved frame of " + length + " bytes on channel "
                            + channel + " over the limit " + maxFrame, false));
                    continue;
                }
                if (in.readableBytes() < 4 + length) {
                    return;
                }
                in.skipBytes(4);
                if (length > 0) {
                    out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                }
                continue;
            }
            Start s = startLine(in, start);
            if (s == Start.MORE) {
                return;
            }
            if (s == Start.NO) {
                int dollar = in.indexOf(start + 1, in.writerIndex(), DOLLAR);
                int end = dollar < 0 ? in.writerIndex() : dollar;
                if (!inGarbage) {
                    out.add(new Invalid(RtspErrorKind.FRAMING, "skipped bytes that are neither an interleaved frame "
                            + "nor an RTSP message, from 0x" + Integer.toHexString(first & 0xFF), false));
                    inGarbage = true;
                }
                in.readerIndex(end);
                continue;
            }
            inGarbage = false;
            int headerEnd = endOfHeader(in, start, Math.min(in.writerIndex(), start + maxHeader));
            if (headerEnd < 0) {
                if (in.readableBytes() >= maxHeader) {
                    dead = true;
                    out.add(new Invalid(RtspErrorKind.HEADER_TOO_LONG,
                            "RTSP message header longer than " + maxHeader + " bytes", true));
                    continue;
                }
                return;
            }
            int body = contentLength(in.toString(start, headerEnd - start, StandardCharsets.ISO_8859_1));
            if (body < 0 || body > MAX_BODY) {
                dead = true;
                out.add(new Invalid(RtspErrorKind.HEADER_TOO_LONG, body < 0 ? "bad Content-Length"
                        : "RTSP message body of " + body + " bytes over the limit " + MAX_BODY, true));
                continue;
            }
            int total = headerEnd - start + body;
            if (in.readableBytes() < total) {
                return;
            }
            out.add(in.readRetainedSlice(total));
        }
    }

    private enum Start { YES, NO, MORE }

    /** A response ({@code RTSP/1.0 200 OK}) or a request ({@code OPTIONS * RTSP/1.0}): a status line or a token. */
    private static Start startLine(ByteBuf in, int start) {
        int avail = in.writerIndex() - start;
        byte[] rtsp = {'R', 'T', 'S', 'P', '/'};
        boolean maybeResponse = true;
        for (int i = 0; i < Math.min(5, avail); i++) {
            if (in.getByte(start + i) != rtsp[i]) {
                maybeResponse = false;
                break;
            }
        }
        if (maybeResponse) {
            return avail >= 5 ? Start.YES : Start.MORE;
        }
        // a method token: upper-case letters and '_' (GET_PARAMETER), then a space
        for (int i = 0; i < Math.min(avail, 20); i++) {
            byte b = in.getByte(start + i);
            if (b == ' ') {
                return i > 0 ? Start.YES : Start.NO;
            }
            if (!(b >= 'A' && b <= 'Z') && b != '_') {
                return Start.NO;
            }
        }
        return avail >= 20 ? Start.NO : Start.MORE;
    }

    /** @return the index just after the blank line ending the header, or -1 when not within [start, limit) */
    private static int endOfHeader(ByteBuf in, int start, int limit) {
        for (int i = start; i < limit; i++) {
            if (in.getByte(i) != '\n') {
                continue;
            }
            if (i + 1 < limit && in.getByte(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < limit && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private static int contentLength(String header) {
        for (String line : header.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return 0;
    }
}
