package org.arc4j.protocols.dc09;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;

/**
 * Encodes {@link Dc09Frame}s as SIA DC-09 bytes (DC-09 §5.5), {@code LF crc 0LLL "id" … CR}, in a chosen
 * {@link Dc09CrcStyle}. Encrypted frames (DC-09 §5.4.6, cipher block chaining) get the standard's pad at the front — pseudo-random
 * printable characters other than {@code [ ] |}, then {@code |}; with empty data the pad runs straight into
 * {@code ]} — are AES-CBC encrypted with the zero IV and written as upper-case hex.
 *
 * <p>Thread-safe when its random source is ({@link SecureRandom}, the default, is).
 */
public final class Dc09Encoder {
    private static final char[] PAD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Random random;

    /** An encoder whose pads come from a {@link SecureRandom}. */
    public Dc09Encoder() {
        this(new SecureRandom());
    }

    /**
     * An encoder with a given source for pad characters (a seeded one makes tests repeatable).
     *
     * @param random the source
     */
    public Dc09Encoder(Random random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Encodes a frame in the standard CRC style.
     *
     * @param frame the frame
     * @param key   the key when the frame is encrypted, else ignored (may be null)
     * @return the bytes, LF to CR
     */
    public byte[] encode(Dc09Frame frame, Dc09Key key) {
        return encode(frame, Dc09CrcStyle.HEX, key);
    }

    /**
     * Encodes a frame.
     *
     * @param frame the frame
     * @param style how to write the CRC (answer a panel in its own style)
     * @param key   the key when the frame is encrypted, else ignored (may be null)
     * @return the bytes, LF to CR
     * @throws IllegalArgumentException if an encrypted frame has no key or no timestamp, or the content is
     *                                  longer than the length field can say (0xFFF bytes)
     */
    public byte[] encode(Dc09Frame frame, Dc09CrcStyle style, Dc09Key key) {
        StringBuilder c = new StringBuilder(64 + frame.data().length() * 2);
        c.append('"');
        if (frame.encrypted()) {
            c.append('*');
        }
        c.append(frame.token().wire()).append('"').append(frame.sequence());
        if (frame.receiver() != null) {
            c.append('R').append(frame.receiver());
        }
        if (frame.line() != null) {
            c.append('L').append(frame.line());
        }
        if (frame.account() != null) {
            c.append(frame.token() == Dc09Token.NAK ? 'A' : '#').append(frame.account());
        }
        c.append('[');
        if (frame.encrypted()) {
            if (key == null) {
                throw new IllegalArgumentException("an encrypted frame needs a key");
            }
            if (frame.timestamp() == null) {
                throw new IllegalArgumentException("an encrypted frame needs a timestamp (DC-09 5.5.1.10)");
            }
            StringBuilder rest = new StringBuilder(48 + frame.data().length());
            if (!frame.data().isEmpty()) {
                rest.append('|').append(frame.data());
            }
            appendTail(frame, rest);
            int pad = (16 - rest.length() % 16) % 16;
            byte[] plain = new byte[pad + rest.length()];
            for (int i = 0; i < pad; i++) {
                plain[i] = (byte) PAD[random.nextInt(PAD.length)];
            }
            for (int i = 0; i < rest.length(); i++) {
                plain[pad + i] = (byte) rest.charAt(i);
            }
            byte[] cipher = key.encrypt(plain, 0, plain.length);
            for (byte x : cipher) {
                c.append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
            }
        } else {
            c.append(frame.data());
            appendTail(frame, c);
        }
        return frame(c, style);
    }

    private static void appendTail(Dc09Frame frame, StringBuilder out) {
        out.append(']');
        for (Dc09ExtendedData x : frame.extendedData()) {
            out.append('[').append(x.id()).append(x.value()).append(']');
        }
        if (frame.timestamp() != null) {
            Dc09Timestamp.INSTANCE.format(frame.timestamp(), out);
        }
    }

    private static byte[] frame(CharSequence content, Dc09CrcStyle style) {
        int n = content.length();
        if (n > 0xFFF) {
            throw new IllegalArgumentException("content of " + n + " bytes does not fit the length field");
        }
        int head = style == Dc09CrcStyle.RAW_BYTES ? 7 : 9;
        byte[] out = new byte[head + n + 1];
        out[0] = 0x0A;
        for (int i = 0; i < n; i++) {
            out[head + i] = (byte) content.charAt(i);
        }
        out[head + n] = 0x0D;
        int crc = Crc16Arc.INSTANCE.compute(out, head, n);
        if (style == Dc09CrcStyle.HEX_INCLUDING_CR) {
            crc = Crc16Arc.INSTANCE.update(crc, out, head + n, 1);
        }
        int p = 1;
        if (style == Dc09CrcStyle.RAW_BYTES) {
            out[p++] = (byte) (crc >> 8);
            out[p++] = (byte) crc;
        } else {
            for (int shift = 12; shift >= 0; shift -= 4) {
                out[p++] = (byte) HEX[(crc >> shift) & 0xF];
            }
        }
        out[p++] = '0';
        out[p++] = (byte) HEX[(n >> 8) & 0xF];
        out[p++] = (byte) HEX[(n >> 4) & 0xF];
        out[p] = (byte) HEX[n & 0xF];
        return out;
    }

    /**
     * The {@code ACK} for a received frame (DC-09 acknowledgement): sequence, receiver, line and account exactly as
     * received (an absent {@code R} stays absent), encrypted with a timestamp when the frame was encrypted.
     *
     * @param received the frame acknowledged
     * @param now      the receiver's time, for the timestamp of an encrypted reply
     * @return the reply frame
     */
    public static Dc09Frame ackFor(Dc09Frame received, Instant now) {
        return reply(Dc09Token.ACK, received.encrypted(), received.sequence(), received.receiver(),
                received.line(), received.account(), now);
    }

    /**
     * A {@code DUH} (DC-09 negative acknowledgement "not understood") echoing what could be read of the frame it answers.
     *
     * @param encrypted whether the reply is encrypted (the received frame was and its key is known)
     * @param sequence  the sequence received, or null for {@code 0000}
     * @param receiver  the receiver received, or null
     * @param line      the line received, or null
     * @param account   the account received, or null
     * @param now       the receiver's time, for the timestamp of an encrypted reply
     * @return the reply frame
     */
    public static Dc09Frame duh(boolean encrypted, String sequence, String receiver, String line, String account,
                                Instant now) {
        return reply(Dc09Token.DUH, encrypted, sequence == null ? "0000" : sequence, receiver, line, account, now);
    }

    /**
     * The {@code NAK} in the standard's fixed form {@code "NAK"0000R0L0A0[]_<time>} (DC-09 negative acknowledgement), whose
     * timestamp is the receiver's UTC time so that the panel can set its clock.
     *
     * @param encrypted whether the reply is encrypted
     * @param now       the receiver's time
     * @return the reply frame
     */
    public static Dc09Frame nak(boolean encrypted, Instant now) {
        return Dc09Frame.of(Dc09Token.NAK, encrypted, "0000", "0", "0", "0", "", now);
    }

    private static Dc09Frame reply(Dc09Token token, boolean encrypted, String sequence, String receiver,
                                   String line, String account, Instant now) {
        return Dc09Frame.of(token, encrypted, sequence, receiver, line, account, "", encrypted ? now : null);
    }
}
