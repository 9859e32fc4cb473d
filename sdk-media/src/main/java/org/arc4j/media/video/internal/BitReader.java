package org.arc4j.media.video.internal;

/**
 * Reads the bits of a NAL unit's RBSP (H.264/H.265 §7.2, §9.2 exp-Golomb): emulation prevention bytes
 * ({@code 00 00 03}) are removed first. Running past the end throws {@link Exhausted}, which the parser turns into a
 * typed result; nothing else throws.
 */
public final class BitReader {
    /** Thrown when the syntax runs past the data; caught by the parser. */
    public static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("bits exhausted", null, false, false);
        }
    }

    private final byte[] rbsp;
    private final int bits;
    private int at;

    /**
     * A reader.
     *
     * @param nal   the NAL unit
     * @param skip  bytes to skip first (the NAL header)
     */
    public BitReader(byte[] nal, int skip) {
        byte[] out = new byte[Math.max(0, nal.length - skip)];
        int n = 0;
        int zeros = 0;
        for (int i = skip; i < nal.length; i++) {
            int v = nal[i] & 0xFF;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            out[n++] = (byte) v;
        }
        this.rbsp = out;
        this.bits = n * 8;
    }

    /** @return one bit */
    public int bit() {
        if (at >= bits) {
            throw new Exhausted();
        }
        int v = (rbsp[at >> 3] >> (7 - (at & 7))) & 1;
        at++;
        return v;
    }

    /** @return a one-bit flag */
    public boolean flag() {
        return bit() != 0;
    }

    /**
     * @param n how many bits, 0..32
     * @return them as an unsigned number
     */
    public long bits(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }

    /**
     * @param n bits to skip
     */
    public void skip(int n) {
        if (at + (long) n > bits) {
            throw new Exhausted();
        }
        at += n;
    }

    /** @return an unsigned exp-Golomb number (ue(v)), at most 2^32-2 */
    public long ue() {
        int zeros = 0;
        while (bit() == 0) {
            if (++zeros > 31) {
                throw new Exhausted();
            }
        }
        return (1L << zeros) - 1 + bits(zeros);
    }

    /** @return a signed exp-Golomb number (se(v)) */
    public long se() {
        long k = ue();
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }
}
