package org.arc4j.media.ps.internal;

/**
 * CRC-32/MPEG-2 (ISO/IEC 13818-1 Annex A: polynomial 0x04C11DB7, initial value all ones, no reflection, no final
 * XOR), the CRC of program stream maps. Stateless and thread-safe.
 */
public final class Crc32Mpeg2 {
    /** The only instance. */
    public static final Crc32Mpeg2 INSTANCE = new Crc32Mpeg2();

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x8000_0000) != 0 ? (c << 1) ^ 0x04C1_1DB7 : c << 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32Mpeg2() {
    }

    /**
     * @param b   bytes
     * @param off first
     * @param len length
     * @return the CRC as an unsigned 32-bit value
     */
    public long compute(byte[] b, int off, int len) {
        int crc = 0xFFFF_FFFF;
        for (int i = off; i < off + len; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b[i]) & 0xFF];
        }
        return crc & 0xFFFF_FFFFL;
    }
}
