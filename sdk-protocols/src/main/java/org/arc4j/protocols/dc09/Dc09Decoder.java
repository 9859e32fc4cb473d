package org.arc4j.protocols.dc09;

// Over 500 lines because it is one decoder driven by an explicit state enum over the whole DC-09 frame (framing, CRC, length,
// AES, every field) with its real-panel variants next to the field each belongs to.

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Decodes SIA DC-09 frames (DC-09 §5.5): checks the CRC-16/ARC and the {@code 0LLL} length, reads the header
 * fields, decrypts encrypted frames (DC-09 §5.4.6, cipher block chaining) with a key from a {@link Dc09KeyResolver}, strips the pad and
 * reads the data, extended data and timestamp. It never throws on bad input: every problem is a
 * {@link Dc09DecodeResult.Invalid} naming the {@link Dc09Error} and carrying the offending bytes.
 *
 * <p>Tolerant by default: it detects, per frame and in this order, the deviations real panels send
 * ({@link Dc09Variant}): raw CRC bytes, a CRC computed over the CR, a decimal length, a length that matches
 * nothing (the CR bounds the frame), lower-case hex, an {@code L} without digits and a plain {@code NULL}
 * without timestamp, and reports each one it accepted on the result. {@linkplain Builder#strict(boolean)
 * Strict} decoding refuses all of them.
 *
 * <p>Immutable and thread-safe; one instance serves every connection. Parsing is driven by an explicit
 * {@link State} and bounded by the frame's own length and {@link Builder#maxFrameLength(int)}.
 */
public final class Dc09Decoder {
    /** Default bound of a frame in bytes, LF to CR inclusive. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 1024;

    private static final byte LF = 0x0A;
    private static final byte CR = 0x0D;

    /** Where the decoder is in a frame. */
    enum State { TOKEN, SEQUENCE, RECEIVER, LINE, ACCOUNT, BODY }

    private final boolean strict;
    private final int maxFrameLength;
    private final Dc09KeyResolver keys;

    private Dc09Decoder(Builder b) {
        this.strict = b.strict;
        this.maxFrameLength = b.maxFrameLength;
        this.keys = b.keys;
    }

    /** @return a builder with the defaults: tolerant, 1024-byte frames, no keys */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the bound of a frame in bytes */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** @return true when variants are refused */
    public boolean strict() {
        return strict;
    }

    /**
     * Decodes one complete frame, LF to CR inclusive (a UDP datagram, or what the TCP framer cut out).
     *
     * @param b      the bytes
     * @param off    where the frame starts
     * @param len    its length
     * @return the frame, or what was wrong
     */
    public Dc09DecodeResult decode(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > maxFrameLength) {
            return framing(Dc09Error.OVERSIZED, len + " bytes exceed the limit of " + maxFrameLength, b, off, len);
        }
        if (len < 1 || b[off] != LF) {
            return framing(Dc09Error.NO_FRAME_START, "no LF at the start", b, off, len);
        }
        if (len < 2 || b[off + len - 1] != CR) {
            return framing(Dc09Error.TRUNCATED, "no CR at the end", b, off, len);
        }
        EnumSet<Dc09Variant> variants = EnumSet.noneOf(Dc09Variant.class);
        int quote;
        int sentCrc;
        Dc09CrcStyle style;
        if (len >= 12 && isHexRun(b, off + 1, 4) && b[off + 5] == '0' && isHexRun(b, off + 6, 3)
                && b[off + 9] == '"') {
            quote = off + 9;
            sentCrc = hexValue(b, off + 1, 4);
            style = Dc09CrcStyle.HEX;
            if (hasLower(b, off + 1, 8)) {
                variants.add(Dc09Variant.LOWER_CASE_HEX);
            }
        } else if (len >= 10 && b[off + 3] == '0' && isHexRun(b, off + 4, 3) && b[off + 7] == '"') {
            if (strict) {
                return framing(Dc09Error.BAD_HEADER, "raw CRC bytes (refused: strict)", b, off, len);
            }
            quote = off + 7;
            sentCrc = ((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF);
            style = Dc09CrcStyle.RAW_BYTES;
            variants.add(Dc09Variant.RAW_CRC_BYTES);
            if (hasLower(b, off + 4, 3)) {
                variants.add(Dc09Variant.LOWER_CASE_HEX);
            }
        } else {
            return framing(Dc09Error.BAD_HEADER, "no CRC and length field of the form CCCC0LLL", b, off, len);
        }
        int end = off + len - 1; // the CR
        int contentLength = end - quote;
        int declared = hexValue(b, quote - 3, 3);
        boolean lengthOk = declared == contentLength;
        int crc = Crc16Arc.INSTANCE.compute(b, quote, contentLength);
        boolean crcOk = crc == sentCrc;
        if (!crcOk && !strict && style == Dc09CrcStyle.HEX && Crc16Arc.INSTANCE.update(crc, b, end, 1) == sentCrc) {
            crcOk = true;
            style = Dc09CrcStyle.HEX_INCLUDING_CR;
            variants.add(Dc09Variant.CRC_INCLUDES_CR);
        }
        if (!crcOk) {
            String detail = String.format("CRC sent %04X, computed %04X", sentCrc, crc)
                    + (lengthOk ? "" : "; length sent " + lengthText(b, quote) + ", content has " + contentLength);
            return framing(lengthOk ? Dc09Error.BAD_CRC : Dc09Error.BAD_CRC_AND_LENGTH, detail, b, off, len);
        }
        if (!lengthOk) {
            if (strict) {
                return framing(Dc09Error.BAD_LENGTH, "length sent " + lengthText(b, quote) + ", content has "
                        + contentLength + " (0x" + Integer.toHexString(contentLength).toUpperCase() + ")", b, off, len);
            }
            int decimal = decimalValue(b, quote - 3, 3);
            variants.add(decimal == contentLength ? Dc09Variant.DECIMAL_LENGTH : Dc09Variant.LENGTH_MISMATCH);
        }
        return content(b, quote, end, style, variants);
    }

    /**
     * Decodes a frame's content without its framing: the bytes from the id token's opening quote up to, not
     * including, the CR. The CRC and length are not checked; for logs and captures whose framing was lost or
     * never right (their data blocks can still be read).
     *
     * @param b   the bytes
     * @param off where the opening quote is
     * @param len how many bytes
     * @return the frame, or what was wrong with its content
     */
    public Dc09DecodeResult decodeContent(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > maxFrameLength) {
            return framing(Dc09Error.OVERSIZED, len + " bytes exceed the limit of " + maxFrameLength, b, off, len);
        }
        return content(b, off, off + len, Dc09CrcStyle.HEX, EnumSet.noneOf(Dc09Variant.class));
    }

    private Dc09DecodeResult content(byte[] b, int start, int end, Dc09CrcStyle style,
                                     EnumSet<Dc09Variant> variants) {
        State state = State.TOKEN;
        int p = start;
        Dc09Token token = null;
        boolean encrypted = false;
        String sequence = null;
        String receiver = null;
        String line = null;
        String account = null;
        while (state != State.BODY) {
            switch (state) {
                case TOKEN: {
                    if (p >= end || b[p] != '"') {
                        return bad(Dc09Error.UNKNOWN_TOKEN, "no opening quote", b, p, end, null, false, null,
                                null, null, null, style);
                    }
                    int close = -1;
                    for (int i = p + 1; i < Math.min(end, p + 10); i++) {
                        if (b[i] == '"') {
                            close = i;
                            break;
                        }
                    }
                    if (close < 0) {
                        return bad(Dc09Error.UNKNOWN_TOKEN, "no closing quote", b, p, Math.min(end, p + 10),
                                null, false, null, null, null, null, style);
                    }
                    int t = p + 1;
                    if (t < close && b[t] == '*') {
                        encrypted = true;
                        t++;
                    }
                    token = Dc09Token.ofWire(b, t, close - t);
                    if (token == null) {
                        return bad(Dc09Error.UNKNOWN_TOKEN, "unknown id token", b, p, close + 1, null, encrypted,
                                null, null, null, null, style);
                    }
                    p = close + 1;
                    state = State.SEQUENCE;
                    break;
                }
                case SEQUENCE: {
                    if (end - p < 4 || !isDigitRun(b, p, 4)) {
                        return bad(Dc09Error.BAD_SEQUENCE, "sequence is not four digits", b, p,
                                Math.min(end, p + 4), token, encrypted, null, null, null, null, style);
                    }
                    sequence = ascii(b, p, 4);
                    p += 4;
                    state = State.RECEIVER;
                    break;
                }
                case RECEIVER: {
                    if (p < end && b[p] == 'R') {
                        int n = hexRun(b, p + 1, end, 7, (byte) 0);
                        if (n < 1 || n > 6) {
                            return bad(Dc09Error.BAD_RECEIVER, "receiver has " + n + " hex digits", b, p,
                                    p + 1 + n, token, encrypted, sequence, null, null, null, style);
                        }
                        receiver = ascii(b, p + 1, n);
                        lower(receiver, variants);
                        p += 1 + n;
                    }
                    state = State.LINE;
                    break;
                }
                case LINE: {
                    if (p < end && b[p] == 'L') {
                        // in a NAK's fixed form "L0A0" the A starts the account
                        int n = hexRun(b, p + 1, end, 7, token == Dc09Token.NAK ? (byte) 'A' : (byte) 0);
                        if (n > 6) {
                            return bad(Dc09Error.BAD_LINE, "line prefix has more than 6 hex digits", b, p,
                                    p + 1 + n, token, encrypted, sequence, receiver, null, null, style);
                        }
                        if (n == 0) {
                            variants.add(Dc09Variant.EMPTY_LINE_PREFIX);
                        }
                        line = ascii(b, p + 1, n);
                        lower(line, variants);
                        p += 1 + n;
                    }
                    state = State.ACCOUNT;
                    break;
                }
                case ACCOUNT: {
                    if (p < end && (b[p] == '#' || (b[p] == 'A' && token == Dc09Token.NAK))) {
                        int n = hexRun(b, p + 1, end, 17, (byte) 0);
                        int min = token.isReport() && strict ? 3 : 1;
                        if (n < min || n > 16) {
                            return bad(Dc09Error.BAD_ACCOUNT, "account has " + n + " hex digits", b, p,
                                    p + 1 + n, token, encrypted, sequence, receiver, line, null, style);
                        }
                        account = ascii(b, p + 1, n);
                        lower(account, variants);
                        p += 1 + n;
                    }
                    state = State.BODY;
                    break;
                }
                default:
                    throw new IllegalStateException(state.name());
            }
        }
        if (p >= end || b[p] != '[') {
            return bad(Dc09Error.BAD_BODY, "no [ after the header", b, p, Math.min(end, p + 1), token, encrypted,
                    sequence, receiver, line, account, style);
        }
        p++;
        Dc09Key key = null;
        String body;
        if (encrypted) {
            int n = end - p;
            if (n == 0 || n % 32 != 0 || !isHexRun(b, p, n)) {
                return bad(Dc09Error.DECRYPT_FAILED, "ciphertext is not whole blocks of hex", b, p, end, token,
                        true, sequence, receiver, line, account, style);
            }
            if (hasLower(b, p, n)) {
                variants.add(Dc09Variant.LOWER_CASE_HEX);
            }
            key = keys.keyFor(receiver, line, account);
            if (key == null) {
                return bad(Dc09Error.NO_KEY, "no key for the account", b, p, end, token, true, sequence, receiver,
                        line, account, style);
            }
            if (key.isWeak() && !keys.weakKeyAccepted(receiver, line, account)) {
                return bad(Dc09Error.WEAK_KEY, "weak key without override", b, p, end, token, true, sequence,
                        receiver, line, account, style);
            }
            byte[] cipher = new byte[n / 2];
            for (int i = 0; i < cipher.length; i++) {
                cipher[i] = (byte) ((hexDigit(b[p + 2 * i]) << 4) | hexDigit(b[p + 2 * i + 1]));
            }
            byte[] plain = key.decrypt(cipher, 0, cipher.length);
            int close = indexOf(plain, 0, plain.length, (byte) ']');
            if (close < 0) {
                return crypt("decrypted block has no ]", b, p, end, token, sequence, receiver, line, account, style);
            }
            int bar = indexOf(plain, 0, close, (byte) '|');
            if (bar < 0 && !isPrintable(plain, 0, close)) {
                // a pad that runs straight into ] is printable in every style seen (the standard's random
                // characters, 0 or p); anything else is what a wrong key leaves, even when a ] happens to appear
                return crypt("decrypted pad is not printable ASCII", b, p, end, token, sequence, receiver, line,
                        account, style);
            }
            int dataStart = bar >= 0 ? bar + 1 : close;
            if (!isPrintable(plain, dataStart, plain.length)) {
                return crypt("decrypted block is not printable ASCII", b, p, end, token, sequence, receiver, line,
                        account, style);
            }
            body = ascii(plain, dataStart, plain.length - dataStart);
            Arrays.fill(plain, (byte) 0);
        } else {
            if (!isPrintable(b, p, end)) {
                return bad(Dc09Error.BAD_BODY, "body is not printable ASCII", b, p, end, token, false, sequence,
                        receiver, line, account, style);
            }
            body = ascii(b, p, end - p);
        }
        return body(body, b, p, end, token, encrypted, sequence, receiver, line, account, style, variants, key);
    }

    private Dc09DecodeResult body(String s, byte[] b, int p, int end, Dc09Token token, boolean encrypted,
                                  String sequence, String receiver, String line, String account,
                                  Dc09CrcStyle style, EnumSet<Dc09Variant> variants, Dc09Key key) {
        // an encrypted body that does not read is indistinguishable from a wrong key: a decryption failure,
        // answered with a plain NAK (a panel holding another key could not read an encrypted one)
        Dc09Error bodyError = encrypted ? Dc09Error.DECRYPT_FAILED : Dc09Error.BAD_BODY;
        int close = s.indexOf(']');
        if (close < 0) {
            return bad(bodyError, "data has no ]", b, p, end, token, encrypted, sequence, receiver, line,
                    account, style, null);
        }
        String data = s.substring(0, close);
        if (data.indexOf('[') >= 0) {
            return bad(bodyError, "[ inside the data", b, p, end, token, encrypted, sequence, receiver,
                    line, account, style, null);
        }
        List<Dc09ExtendedData> extended = List.of();
        int i = close + 1;
        while (i < s.length() && s.charAt(i) == '[') {
            int c = s.indexOf(']', i);
            char id = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
            if (c < 0 || c == i + 1 || !((id >= 'A' && id <= 'Z') || (id >= 'a' && id <= 'z'))
                    || s.substring(i + 1, c).indexOf('[') >= 0) {
                return bad(bodyError, "malformed extended data at " + i, b, p, end, token, encrypted,
                        sequence, receiver, line, account, style, null);
            }
            if (extended.isEmpty()) {
                extended = new ArrayList<>(2);
            }
            extended.add(new Dc09ExtendedData(id, s.substring(i + 2, c)));
            i = c + 1;
        }
        Instant timestamp = null;
        if (i < s.length()) {
            if (s.charAt(i) != '_') {
                return bad(bodyError, "unexpected text after the data at " + i, b, p, end, token,
                        encrypted, sequence, receiver, line, account, style, null);
            }
            timestamp = Dc09Timestamp.INSTANCE.parse(s, i);
            if (timestamp == null || i + Dc09Timestamp.LENGTH != s.length()) {
                return bad(encrypted ? Dc09Error.DECRYPT_FAILED : Dc09Error.BAD_TIMESTAMP,
                        "malformed timestamp", b, p, end, token, encrypted, sequence, receiver, line, account,
                        style, null);
            }
        } else if (encrypted) {
            return bad(Dc09Error.MISSING_TIMESTAMP, "encrypted message without timestamp", b, p, end, token, true,
                    sequence, receiver, line, account, style, null);
        } else if (token == Dc09Token.NULL) {
            variants.add(Dc09Variant.NULL_WITHOUT_TIMESTAMP);
        }
        if (strict && !variants.isEmpty()) {
            return bad(Dc09Error.VARIANT_REFUSED, "strict decoding refuses " + variants, b, p, end, token, encrypted,
                    sequence, receiver, line, account, style, key);
        }
        Dc09Frame frame = new Dc09Frame(token, encrypted, sequence, receiver, line, account, data, extended,
                timestamp);
        return new Dc09DecodeResult.Valid(frame, style, variants, key);
    }

    private static Dc09DecodeResult framing(Dc09Error e, String detail, byte[] b, int off, int len) {
        return new Dc09DecodeResult.Invalid(e, detail, Arrays.copyOfRange(b, off, off + Math.min(len, 4096)), null,
                false, null, null, null, null, null, null);
    }

    private static Dc09DecodeResult bad(Dc09Error e, String detail, byte[] b, int from, int to, Dc09Token token,
                                        boolean encrypted, String sequence, String receiver, String line,
                                        String account, Dc09CrcStyle style) {
        return bad(e, detail, b, from, to, token, encrypted, sequence, receiver, line, account, style, null);
    }

    private static Dc09DecodeResult bad(Dc09Error e, String detail, byte[] b, int from, int to, Dc09Token token,
                                        boolean encrypted, String sequence, String receiver, String line,
                                        String account, Dc09CrcStyle style, Dc09Key key) {
        return new Dc09DecodeResult.Invalid(e, detail, Arrays.copyOfRange(b, from, Math.max(from, to)), token,
                encrypted, sequence, receiver, line, account, style, key);
    }

    private static Dc09DecodeResult crypt(String detail, byte[] b, int from, int to, Dc09Token token,
                                          String sequence, String receiver, String line, String account,
                                          Dc09CrcStyle style) {
        return bad(Dc09Error.DECRYPT_FAILED, detail, b, from, to, token, true, sequence, receiver, line, account,
                style);
    }

    private static String lengthText(byte[] b, int quote) {
        return ascii(b, quote - 4, 4);
    }

    private static void lower(String s, EnumSet<Dc09Variant> variants) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'f') {
                variants.add(Dc09Variant.LOWER_CASE_HEX);
                return;
            }
        }
    }

    static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static boolean isHexRun(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (hexDigit(b[i]) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLower(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (b[i] >= 'a' && b[i] <= 'f') {
                return true;
            }
        }
        return false;
    }

    /** Counts hex digits from {@code from}, at most {@code limit}, stopping at {@code stop} if non-zero. */
    private static int hexRun(byte[] b, int from, int end, int limit, byte stop) {
        int n = 0;
        while (from + n < end && n < limit && b[from + n] != stop && hexDigit(b[from + n]) >= 0) {
            n++;
        }
        return n;
    }

    private static boolean isDigitRun(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static int hexValue(byte[] b, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            v = (v << 4) | hexDigit(b[i]);
        }
        return v;
    }

    private static int decimalValue(byte[] b, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static boolean isPrintable(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0x20 || b[i] > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] b, int from, int n) {
        return new String(b, from, n, StandardCharsets.ISO_8859_1);
    }

    /** Configures a {@link Dc09Decoder}. Not thread-safe. */
    public static final class Builder {
        private boolean strict;
        private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
        private Dc09KeyResolver keys = Dc09KeyResolver.NONE;

        private Builder() {
        }

        /**
         * Refuses every {@link Dc09Variant}: only frames exactly as DC-09 writes them decode.
         *
         * @param v true for strict decoding (default false)
         * @return this
         */
        public Builder strict(boolean v) {
            this.strict = v;
            return this;
        }

        /**
         * The largest frame accepted, LF to CR inclusive.
         *
         * @param v bytes, at least 32
         * @return this
         */
        public Builder maxFrameLength(int v) {
            if (v < 32) {
                throw new IllegalArgumentException("maxFrameLength must be at least 32: " + v);
            }
            this.maxFrameLength = v;
            return this;
        }

        /**
         * Where keys of encrypted frames come from.
         *
         * @param v the resolver
         * @return this
         */
        public Builder keys(Dc09KeyResolver v) {
            this.keys = Objects.requireNonNull(v, "keys");
            return this;
        }

        /** @return the decoder */
        public Dc09Decoder build() {
            return new Dc09Decoder(this);
        }
    }
}
