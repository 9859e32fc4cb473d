package org.arc4j.media.video;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the byte-stream format (H.264 and H.265 Annex B: NAL units after {@code 00 00 01} or
 * {@code 00 00 00 01} start codes) into NAL units. Stateless and thread-safe.
 */
public final class AnnexB {
    /** The only instance. */
    public static final AnnexB INSTANCE = new AnnexB();

    private AnnexB() {
    }

    /**
     * The NAL units of a byte stream; bytes before the first start code are ignored, trailing zero bytes of each
     * NAL unit (the next start code's leading zero, or trailing_zero_8bits) are dropped.
     *
     * @param b   the bytes
     * @param off first byte
     * @param len length
     * @return the NAL units, each starting with its header
     */
    public List<byte[]> split(byte[] b, int off, int len) {
        List<byte[]> out = new ArrayList<>();
        int end = off + len;
        int start = nextStart(b, off, end);
        while (start >= 0) {
            int next = nextStart(b, start, end);
            int stop = next < 0 ? end : next - 3;
            while (stop > start && b[stop - 1] == 0) {
                stop--;
            }
            if (stop > start) {
                byte[] nal = new byte[stop - start];
                System.arraycopy(b, start, nal, 0, nal.length);
                out.add(nal);
            }
            start = next;
        }
        return out;
    }

    /**
     * Where the NAL unit after the next start code begins.
     *
     * @param b    the bytes
     * @param from where to search from
     * @param end  where to stop
     * @return the index just after {@code 00 00 01}, or -1
     */
    public int nextStart(byte[] b, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if ((b[i + 2] & 0xFF) > 1) {
                i += 2;
            } else if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                return i + 3;
            }
        }
        return -1;
    }
}
