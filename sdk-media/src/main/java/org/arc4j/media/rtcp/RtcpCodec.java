package org.arc4j.media.rtcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes RTCP compound packets (RFC 3550 §6.1, §6.4–§6.6) with the validity checks of Appendix A.2: the
 * version is 2, only the last packet is padded, lengths add up to the datagram, and the first packet is an SR or RR.
 * Never throws on bad input. Stateless and thread-safe.
 */
public final class RtcpCodec {
    /** The only instance. */
    public static final RtcpCodec INSTANCE = new RtcpCodec();

    private RtcpCodec() {
    }

    /**
     * Decodes a compound packet.
     *
     * @param b   the datagram
     * @param off first byte
     * @param len its length
     * @return the packets, or what is wrong and where
     */
    public RtcpDecodeResult decode(byte[] b, int off, int len) {
        List<RtcpPacket> out = new ArrayList<>();
        int at = 0;
        while (at < len) {
            if (len - at < 4) {
                return new RtcpDecodeResult.Invalid(RtcpError.TOO_SHORT, at, (len - at) + " bytes left");
            }
            int p = off + at;
            int v = (b[p] & 0xC0) >> 6;
            if (v != 2) {
                return new RtcpDecodeResult.Invalid(RtcpError.BAD_VERSION, at, "version " + v);
            }
            int count = b[p] & 0x1F;
            int type = b[p + 1] & 0xFF;
            int bytes = 4 * ((((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF)) + 1);
            if (bytes > len - at) {
                return new RtcpDecodeResult.Invalid(RtcpError.BAD_LENGTH, at,
                        "length " + bytes + " with " + (len - at) + " left");
            }
            int end = bytes;
            if ((b[p] & 0x20) != 0) {
                int pad = b[p + bytes - 1] & 0xFF;
                if (at + bytes != len || pad == 0 || pad > bytes - 4) {
                    return new RtcpDecodeResult.Invalid(RtcpError.BAD_PADDING, at, "padding " + pad);
                }
                end -= pad;
            }
            if (out.isEmpty() && type != RtcpPacket.SR && type != RtcpPacket.RR) {
                return new RtcpDecodeResult.Invalid(RtcpError.NOT_REPORT_FIRST, at, "packet type " + type);
            }
            Object one = packet(b, p, end, type, count);
            if (one instanceof RtcpDecodeResult.Invalid bad) {
                return new RtcpDecodeResult.Invalid(bad.error(), at, bad.detail());
            }
            out.add((RtcpPacket) one);
            at += bytes;
        }
        if (out.isEmpty()) {
            return new RtcpDecodeResult.Invalid(RtcpError.TOO_SHORT, 0, "empty");
        }
        return new RtcpDecodeResult.Valid(out);
    }

    private static Object packet(byte[] b, int p, int end, int type, int count) {
        switch (type) {
            case RtcpPacket.SR: {
                if (end < 28 + count * ReportBlock.LENGTH) {
                    return bad(end < 28 ? RtcpError.TOO_SHORT : RtcpError.BAD_COUNT, "SR of " + end + " bytes, "
                            + count + " blocks");
                }
                return new RtcpPacket.SenderReport(u32(b, p + 4), new NtpTimestamp(u32(b, p + 8) << 32 | u32(b, p + 12)),
                        u32(b, p + 16), u32(b, p + 20), u32(b, p + 24), blocks(b, p + 28, count));
            }
            case RtcpPacket.RR: {
                if (end < 8 + count * ReportBlock.LENGTH) {
                    return bad(end < 8 ? RtcpError.TOO_SHORT : RtcpError.BAD_COUNT, "RR of " + end + " bytes, "
                            + count + " blocks");
                }
                return new RtcpPacket.ReceiverReport(u32(b, p + 4), blocks(b, p + 8, count));
            }
            case RtcpPacket.SDES:
                return sdes(b, p, end, count);
            case RtcpPacket.BYE: {
                if (end < 4 + 4 * count) {
                    return bad(RtcpError.BAD_COUNT, "BYE of " + end + " bytes, " + count + " sources");
                }
                List<Long> ssrcs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ssrcs.add(u32(b, p + 4 + 4 * i));
                }
                int r = 4 + 4 * count;
                String reason = "";
                if (r < end) {
                    int n = b[p + r] & 0xFF;
                    if (r + 1 + n > end) {
                        return bad(RtcpError.BAD_LENGTH, "BYE reason of " + n + " bytes");
                    }
                    reason = new String(b, p + r + 1, n, StandardCharsets.UTF_8);
                }
                return new RtcpPacket.Goodbye(ssrcs, reason);
            }
            default: {
                byte[] body = new byte[end - 4];
                System.arraycopy(b, p + 4, body, 0, body.length);
                return new RtcpPacket.Unknown(type, count, body);
            }
        }
    }

    private static Object sdes(byte[] b, int p, int end, int count) {
        List<RtcpPacket.SourceDescription.Chunk> chunks = new ArrayList<>(count);
        int at = 4;
        for (int c = 0; c < count; c++) {
            if (at + 4 > end) {
                return bad(RtcpError.BAD_SDES, "chunk " + c + " runs past the packet");
            }
            long ssrc = u32(b, p + at);
            at += 4;
            List<RtcpPacket.SourceDescription.Item> items = new ArrayList<>();
            while (true) {
                if (at >= end) {
                    return bad(RtcpError.BAD_SDES, "chunk " + c + " has no end item");
                }
                int t = b[p + at] & 0xFF;
                if (t == 0) {
                    // the end item, then zero bytes to the next 32-bit boundary
                    at = (at + 4) & ~3;
                    break;
                }
                if (at + 2 > end || at + 2 + (b[p + at + 1] & 0xFF) > end) {
                    return bad(RtcpError.BAD_SDES, "item of type " + t + " runs past the packet");
                }
                int n = b[p + at + 1] & 0xFF;
                items.add(new RtcpPacket.SourceDescription.Item(t, new String(b, p + at + 2, n, StandardCharsets.UTF_8)));
                at += 2 + n;
            }
            chunks.add(new RtcpPacket.SourceDescription.Chunk(ssrc, items));
        }
        return new RtcpPacket.SourceDescription(chunks);
    }

    private static RtcpDecodeResult.Invalid bad(RtcpError e, String detail) {
        return new RtcpDecodeResult.Invalid(e, 0, detail);
    }

    private static List<ReportBlock> blocks(byte[] b, int p, int count) {
        List<ReportBlock> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int q = p + i * ReportBlock.LENGTH;
            int lost = ((b[q + 5] & 0xFF) << 16) | ((b[q + 6] & 0xFF) << 8) | (b[q + 7] & 0xFF);
            // 24-bit two's complement
            lost = (lost << 8) >> 8;
            out.add(new ReportBlock(u32(b, q), b[q + 4] & 0xFF, lost, u32(b, q + 8), u32(b, q + 12), u32(b, q + 16),
                    u32(b, q + 20)));
        }
        return out;
    }

    private static long u32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    /**
     * Encodes a compound packet, without padding.
     *
     * @param packets the packets in order (RFC 3550 §6.1 wants an SR or RR first and an SDES with CNAME)
     * @return the bytes
     */
    public byte[] encode(List<? extends RtcpPacket> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RtcpPacket p : packets) {
            encodeOne(p, out);
        }
        return out.toByteArray();
    }

    private static void encodeOne(RtcpPacket p, ByteArrayOutputStream out) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int count;
        int type;
        if (p instanceof RtcpPacket.SenderReport sr) {
            type = RtcpPacket.SR;
            count = sr.blocks().size();
            put32(body, sr.ssrc());
            put32(body, sr.ntp().seconds());
            put32(body, sr.ntp().fraction());
            put32(body, sr.rtpTimestamp());
            put32(body, sr.packetCount());
            put32(body, sr.octetCount());
            sr.blocks().forEach(rb -> block(rb, body));
        } else if (p instanceof RtcpPacket.ReceiverReport rr) {
            type = RtcpPacket.RR;
            count = rr.blocks().size();
            put32(body, rr.ssrc());
            rr.blocks().forEach(rb -> block(rb, body));
        } else if (p instanceof RtcpPacket.SourceDescription sd) {
            type = RtcpPacket.SDES;
            count = sd.chunks().size();
            for (RtcpPacket.SourceDescription.Chunk c : sd.chunks()) {
                put32(body, c.ssrc());
                int n = 0;
                for (RtcpPacket.SourceDescription.Item i : c.items()) {
                    byte[] v = i.value().getBytes(StandardCharsets.UTF_8);
                    body.write(i.type());
                    body.write(v.length);
                    body.write(v, 0, v.length);
                    n += 2 + v.length;
                }
                // end item and padding: one to four zero bytes
                int pad = 4 - (n & 3);
                for (int z = 0; z < pad; z++) {
                    body.write(0);
                }
            }
        } else if (p instanceof RtcpPacket.Goodbye bye) {
            type = RtcpPacket.BYE;
            count = bye.ssrcs().size();
            bye.ssrcs().forEach(s -> put32(body, s));
            if (!bye.reason().isEmpty()) {
                byte[] r = bye.reason().getBytes(StandardCharsets.UTF_8);
                body.write(r.length);
                body.write(r, 0, r.length);
                while (body.size() % 4 != 0) {
                    body.write(0);
                }
            }
        } else {
            RtcpPacket.Unknown u = (RtcpPacket.Unknown) p;
            type = u.type();
            count = u.count();
            byte[] raw = u.body();
            body.write(raw, 0, raw.length);
            while (body.size() % 4 != 0) {
                body.write(0);
            }
        }
        int words = body.size() / 4;
        out.write(0x80 | count);
        out.write(type);
        out.write(words >> 8);
        out.write(words);
        out.writeBytes(body.toByteArray());
    }

    private static void block(ReportBlock rb, ByteArrayOutputStream out) {
        put32(out, rb.ssrc());
        out.write(rb.fractionLost());
        out.write(rb.cumulativeLost() >> 16);
        out.write(rb.cumulativeLost() >> 8);
        out.write(rb.cumulativeLost());
        put32(out, rb.extendedHighestSequence());
        put32(out, rb.jitter());
        put32(out, rb.lastSenderReport());
        put32(out, rb.delaySinceLastSenderReport());
    }

    private static void put32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >> 24));
        out.write((int) (v >> 16));
        out.write((int) (v >> 8));
        out.write((int) v);
    }
}
