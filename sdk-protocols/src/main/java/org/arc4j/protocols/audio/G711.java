package org.arc4j.protocols.audio;

/**
 * ITU-T G.711 companding between 16-bit linear PCM and 8-bit µ-law (PCMU, RTP payload type 0) or A-law (PCMA,
 * payload type 8). Decoding uses 256-entry tables; encoding follows the segment rules of G.711 Tables 1 and 2
 * (µ-law with bias 0x84 and all bits inverted, A-law with even bits inverted by 0x55).
 *
 * <p>Stateless singleton, thread-safe; the methods allocate nothing.
 */
public final class G711 {
    /** The instance. */
    public static final G711 INSTANCE = new G711();

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final int ULAW_BIAS = 0x84;

    static {
        for (int i = 0; i < 256; i++) {
            int u = ~i & 0xFF;
            int t = ((u & 0x0F) << 3) + ULAW_BIAS;
            t <<= (u & 0x70) >> 4;
            ULAW_TO_LINEAR[i] = (short) ((u & 0x80) != 0 ? ULAW_BIAS - t : t - ULAW_BIAS);

            int a = i ^ 0x55;
            int mantissa = (a & 0x0F) << 4;
            int segment = (a & 0x70) >> 4;
            int v;
            if (segment == 0) {
                v = mantissa + 8;
            } else if (segment == 1) {
                v = mantissa + 0x108;
            } else {
                v = (mantissa + 0x108) << (segment - 1);
            }
            ALAW_TO_LINEAR[i] = (short) ((a & 0x80) != 0 ? v : -v);
        }
    }

    private G711() {
    }

    /** The G.711 laws. */
    public enum Law {
        /** µ-law (North America, Japan), RTP payload type 0. */
        ULAW,
        /** A-law (Europe, China and most of the world), RTP payload type 8. */
        ALAW
    }

    /**
     * Decodes one µ-law byte.
     *
     * @param b the code
     * @return the linear sample
     */
    public short ulawToLinear(byte b) {
        return ULAW_TO_LINEAR[b & 0xFF];
    }

    /**
     * Decodes one A-law byte.
     *
     * @param b the code
     * @return the linear sample
     */
    public short alawToLinear(byte b) {
        return ALAW_TO_LINEAR[b & 0xFF];
    }

    /**
     * Encodes one linear sample as µ-law.
     *
     * @param sample the 16-bit sample
     * @return the code
     */
    public byte linearToUlaw(short sample) {
        // G.711 µ-law works on 14 significant bits: round to them (as sox does), then compand the magnitude
        int v = Math.min((sample + 2) >> 2, 8191);
        int mask;
        if (v < 0) {
            v = -v;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        if (v > 8159) {
            v = 8159;
        }
        v += ULAW_BIAS >> 2;
        int segment = 0;
        for (int limit = 0x3F; v > limit && segment < 8; limit = (limit << 1) | 1) {
            segment++;
        }
        int code = segment >= 8 ? 0x7F : (segment << 4) | ((v >> (segment + 1)) & 0x0F);
        return (byte) (code ^ mask);
    }

    /**
     * Encodes one linear sample as A-law.
     *
     * @param sample the 16-bit sample
     * @return the code
     */
    public byte linearToAlaw(short sample) {
        // G.711 A-law works on 13 significant bits
        int v = Math.min((sample + 4) >> 3, 4095);
        int mask;
        if (v >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            v = -v - 1;
        }
        int segment = 0;
        for (int limit = 0x1F; v > limit && segment < 8; limit = (limit << 1) | 1) {
            segment++;
        }
        if (segment >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int code = (segment << 4) | (segment < 2 ? (v >> 1) & 0x0F : (v >> segment) & 0x0F);
        return (byte) (code ^ mask);
    }

    /**
     * Decodes a block of codes.
     *
     * @param law   the law
     * @param in    the codes
     * @param inOff first code
     * @param out   receives the samples
     * @param outOff first sample
     * @param len   number of samples
     */
    public void decode(Law law, byte[] in, int inOff, short[] out, int outOff, int len) {
        short[] table = law == Law.ULAW ? ULAW_TO_LINEAR : ALAW_TO_LINEAR;
        for (int i = 0; i < len; i++) {
            out[outOff + i] = table[in[inOff + i] & 0xFF];
        }
    }

    /**
     * Encodes a block of samples.
     *
     * @param law    the law
     * @param in     the samples
     * @param inOff  first sample
     * @param out    receives the codes
     * @param outOff first code
     * @param len    number of samples
     */
    public void encode(Law law, short[] in, int inOff, byte[] out, int outOff, int len) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = law == Law.ULAW ? linearToUlaw(in[inOff + i]) : linearToAlaw(in[inOff + i]);
        }
    }
}
