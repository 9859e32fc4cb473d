package org.arc4j.media.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * One RTP packet (RFC 3550 §5.1): the fixed header, the contributing sources and the payload, with any padding
 * removed and the header extension skipped (its bytes are kept only as a count). Immutable.
 *
 * @param marker       the marker bit (start of a talkspurt for audio; start of an event for RFC 4733)
 * @param payloadType  0..127
 * @param sequence     0..65535
 * @param timestamp    the RTP timestamp, 0..2^32-1, in the payload's clock (8 kHz for G.711)
 * @param ssrc         the synchronisation source
 * @param csrcCount    how many contributing sources the header listed
 * @param payload      the payload bytes
 */
public record RtpPacket(boolean marker, int payloadType, int sequence, long timestamp, long ssrc, int csrcCount,
                        byte[] payload) {
    /** The fixed header length. */
    public static final int HEADER = 12;

    /** Validates field ranges and copies the payload. */
    public RtpPacket {
        if (payloadType < 0 || payloadType > 127 || sequence < 0 || sequence > 0xFFFF || timestamp < 0
                || timestamp > 0xFFFFFFFFL || ssrc < 0 || ssrc > 0xFFFFFFFFL || csrcCount < 0 || csrcCount > 15) {
            throw new IllegalArgumentException("RTP field out of range");
        }
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    /** @return a copy of the payload */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** @return the payload length */
    public int payloadLength() {
        return payload.length;
    }

    /**
     * The packet on the wire, without contributing sources, extension or padding.
     *
     * @return the bytes
     */
    public byte[] encode() {
        byte[] b = new byte[HEADER + payload.length];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        b[2] = (byte) (sequence >> 8);
        b[3] = (byte) sequence;
        b[4] = (byte) (timestamp >> 24);
        b[5] = (byte) (timestamp >> 16);
        b[6] = (byte) (timestamp >> 8);
        b[7] = (byte) timestamp;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        System.arraycopy(payload, 0, b, HEADER, payload.length);
        return b;
    }

    /**
     * Decodes a packet. Never throws on bad input.
     *
     * @param b   the datagram
     * @param off first byte
     * @param len its length
     * @return the packet or why it is not one
     */
    public static RtpDecodeResult decode(byte[] b, int off, int len) {
        if (len < HEADER) {
            return new RtpDecodeResult.Invalid(RtpError.TOO_SHORT, len + " bytes");
        }
        int v = (b[off] & 0xC0) >> 6;
        if (v != 2) {
            return new RtpDecodeResult.Invalid(RtpError.BAD_VERSION, "version " + v);
        }
        boolean padding = (b[off] & 0x20) != 0;
        boolean extension = (b[off] & 0x10) != 0;
        int cc = b[off] & 0x0F;
        int at = HEADER + 4 * cc;
        if (at > len) {
            return new RtpDecodeResult.Invalid(RtpError.TOO_SHORT, "CSRC list runs past the packet");
        }
        if (extension) {
            if (at + 4 > len) {
                return new RtpDecodeResult.Invalid(RtpError.BAD_EXTENSION, "extension header runs past the packet");
            }
            int words = ((b[off + at + 2] & 0xFF) << 8) | (b[off + at + 3] & 0xFF);
            at += 4 + 4 * words;
            if (at > len) {
                return new RtpDecodeResult.Invalid(RtpError.BAD_EXTENSION, "extension runs past the packet");
            }
        }
        int end = len;
        if (padding) {
            int pad = b[off + len - 1] & 0xFF;
            if (pad == 0 || at + pad > len) {
                return new RtpDecodeResult.Invalid(RtpError.BAD_PADDING, "padding " + pad);
            }
            end -= pad;
        }
        int pt = b[off + 1] & 0x7F;
        int seq = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        long ts = ((b[off + 4] & 0xFFL) << 24) | ((b[off + 5] & 0xFFL) << 16) | ((b[off + 6] & 0xFFL) << 8)
                | (b[off + 7] & 0xFFL);
        long ssrc = ((b[off + 8] & 0xFFL) << 24) | ((b[off + 9] & 0xFFL) << 16) | ((b[off + 10] & 0xFFL) << 8)
                | (b[off + 11] & 0xFFL);
        return new RtpDecodeResult.Valid(new RtpPacket((b[off + 1] & 0x80) != 0, pt, seq, ts, ssrc, cc,
                Arrays.copyOfRange(b, off + at, off + end)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket p && p.marker == marker && p.payloadType == payloadType
                && p.sequence == sequence && p.timestamp == timestamp && p.ssrc == ssrc && p.csrcCount == csrcCount
                && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadType, sequence, timestamp, ssrc) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RtpPacket{pt=" + payloadType + " seq=" + sequence + " ts=" + timestamp + " ssrc=" + ssrc
                + (marker ? " M" : "") + " " + payload.length + " bytes}";
    }
}
