package org.arc4j.protocols.dc09.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.arc4j.core.metrics.Counter;

/**
 * Cuts DC-09 frames out of a TCP byte stream (DC-09 §5.5): several frames in one segment, one frame over many
 * segments, garbage between frames skipped to the next plausible frame start. A frame start is an LF followed
 * by a CRC and length field in hex ({@code CCCC0LLL"}) or raw-CRC ({@code cc0LLL"}) form, recognised by
 * position, so CRC bytes that are LF or CR do not confuse it; the frame ends at the first CR after the id
 * token's quote (content is printable ASCII or hex), and an LF there instead means the frame was cut short.
 * Memory is bounded: nothing is kept for a would-be frame beyond the maximum frame length, and each frame's
 * bytes are allocated only once its end was found. Emits {@code byte[]} frames, LF to CR inclusive.
 *
 * <p>One instance per channel (not sharable).
 */
public final class Dc09StreamFramer extends ByteToMessageDecoder {
    private static final byte LF = 0x0A;
    private static final byte CR = 0x0D;

    private final int maxFrameLength;
    private final Counter garbage;

    /**
     * @param maxFrameLength the largest frame, LF to CR inclusive
     * @param garbage        counts bytes skipped as not belonging to a frame
     */
    public Dc09StreamFramer(int maxFrameLength, Counter garbage) {
        this.maxFrameLength = maxFrameLength;
        this.garbage = garbage;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int r = in.readerIndex();
            int w = in.writerIndex();
            int lf = in.indexOf(r, w, LF);
            if (lf < 0) {
                skip(in, w - r);
                return;
            }
            if (lf > r) {
                skip(in, lf - r);
            }
            if (w - lf < 10) {
                return; // not yet enough to see the header
            }
            int quote;
            if (isHex(in, lf + 1, 4) && in.getByte(lf + 5) == '0' && isHex(in, lf + 6, 3)
                    && in.getByte(lf + 9) == '"') {
                quote = lf + 9;
            } else if (in.getByte(lf + 3) == '0' && isHex(in, lf + 4, 3) && in.getByte(lf + 7) == '"') {
                quote = lf + 7;
            } else {
                skip(in, 1); // an LF that starts no frame
                continue;
            }
            int declared = hexValue(in, quote - 3);
            int byLength = quote + declared; // where the CR must be if the length field is right
            int end = -1;
            boolean cut = false;
            if (byLength - lf < maxFrameLength && byLength < w && in.getByte(byLength) == CR) {
                end = byLength; // the standard case: the length field says where the frame ends
            } else {
                // a wrong length (a tolerated variant) or bytes still missing: the CR after the content, which
                // is printable ASCII or hex, ends it; an LF first means the frame was cut short. A panel whose
                // length is too long waits for its ACK, so a CR found earlier is not held back.
                int limit = Math.min(w, lf + maxFrameLength);
                for (int i = quote + 1; i < limit; i++) {
                    byte c = in.getByte(i);
                    if (c == CR) {
                        end = i;
                        break;
                    }
                    if (c == LF) {
                        end = i;
                        cut = true;
                        break;
                    }
                }
            }
            if (end < 0) {
                if (w - lf >= maxFrameLength) {
                    skip(in, 1); // longer than any frame may be: not a frame start after all
                    continue;
                }
                return; // wait for the rest
            }
            if (cut) {
                skip(in, end - lf); // a frame cut short by the next frame's LF
                continue;
            }
            byte[] frame = new byte[end - lf + 1];
            in.getBytes(lf, frame);
            in.readerIndex(end + 1);
            out.add(frame);
        }
    }

    private void skip(ByteBuf in, int n) {
        in.skipBytes(n);
        garbage.add(n);
    }

    private static int hexValue(ByteBuf in, int from) {
        int v = 0;
        for (int i = from; i < from + 3; i++) {
            byte c = in.getByte(i);
            v = (v << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    }

    private static boolean isHex(ByteBuf in, int from, int n) {
        for (int i = from; i < from + n; i++) {
            byte c = in.getByte(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
