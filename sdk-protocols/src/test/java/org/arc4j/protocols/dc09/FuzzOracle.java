package org.arc4j.protocols.dc09;

/**
 * The fuzz test's independent judge of DC-09 framing: a bitwise CRC-16/ARC (not {@link Crc16Arc}'s table) and
 * the length and header rules written out again, so the decoder is not checked against itself.
 */
final class FuzzOracle {
    private FuzzOracle() {
    }

    static int crc(byte[] b, int off, int len) {
        int c = 0;
        for (int i = off; i < off + len; i++) {
            c ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
        }
        return c;
    }

    static int update(int c, byte[] b) {
        for (byte x : b) {
            c ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
        }
        return c;
    }

    private static int hex(byte c, boolean upperOnly) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (!upperOnly && c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static int hexField(byte[] b, int from, int n, boolean upperOnly) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            int d = hex(b[i], upperOnly);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** Strict DC-09 framing: LF, four upper-case hex CRC over the content, 0LLL upper-case hex length, CR. */
    static boolean strictFramingOk(byte[] b) {
        int n = b.length;
        if (n < 11 || b[0] != '\n' || b[n - 1] != '\r' || b[5] != '0' || b[9] != '"') {
            return false;
        }
        int sent = hexField(b, 1, 4, true);
        int len = hexField(b, 6, 3, true);
        return sent >= 0 && len == n - 10 && crc(b, 9, n - 10) == sent;
    }

    /** What a tolerant receiver may accept: a CRC in any of the three styles must match the content. */
    static boolean tolerantCrcOk(byte[] b) {
        int n = b.length;
        if (n < 9 || b[0] != '\n' || b[n - 1] != '\r') {
            return false;
        }
        if (n >= 11 && b[5] == '0' && b[9] == '"' && hexField(b, 1, 4, false) >= 0 && hexField(b, 6, 3, false) >= 0) {
            int sent = hexField(b, 1, 4, false);
            int c = crc(b, 9, n - 10);
            if (c == sent || update(c, new byte[] {'\r'}) == sent) {
                return true;
            }
        }
        if (b[3] == '0' && b[7] == '"' && hexField(b, 4, 3, false) >= 0) {
            int sent = ((b[1] & 0xFF) << 8) | (b[2] & 0xFF);
            return crc(b, 7, n - 8) == sent;
        }
        return false;
    }
}
