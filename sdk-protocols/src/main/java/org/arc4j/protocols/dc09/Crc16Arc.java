package org.arc4j.protocols.dc09;

/**
 * CRC-16/ARC, the checksum of SIA DC-09 frames (DC-09 §5.5.1.2): polynomial 0x8005 processed bit-reflected
 * (0xA001), initial value 0, no final XOR; the check value of {@code "123456789"} is {@code 0xBB3D}.
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}. Table driven, one lookup per byte.
 */
public final class Crc16Arc {
    /** The one instance. */
    public static final Crc16Arc INSTANCE = new Crc16Arc();

    private final int[] table = new int[256];

    private Crc16Arc() {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
            table[i] = c;
        }
    }

    /**
     * The CRC of a byte range.
     *
     * @param bytes  the bytes
     * @param offset where the range starts
     * @param length how many bytes
     * @return the CRC, 0 to 0xFFFF
     */
    public int compute(byte[] bytes, int offset, int length) {
        return update(0, bytes, offset, length);
    }

    /**
     * Continues a CRC over more bytes (e.g. a frame's content and then its CR, as some panels compute it).
     *
     * @param crc    the CRC so far (0 to start)
     * @param bytes  the bytes
     * @param offset where the range starts
     * @param length how many bytes
     * @return the updated CRC
     */
    public int update(int crc, byte[] bytes, int offset, int length) {
        int c = crc;
        for (int i = offset, end = offset + length; i < end; i++) {
            c = (c >>> 8) ^ table[(c ^ bytes[i]) & 0xFF];
        }
        return c;
    }
}
