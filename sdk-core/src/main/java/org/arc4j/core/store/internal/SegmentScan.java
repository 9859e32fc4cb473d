package org.arc4j.core.store.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Recovery's reading of one segment's bytes: which frames are valid, where a torn tail starts and which
 * regions in the middle are corrupt.
 *
 * <p>A bad frame followed by at least one valid frame (with a higher position than every valid one before) is
 * corruption in the middle: it is reported as a region and skipped. A bad frame with nothing valid after it is
 * the tail. In the last segment the tail also takes back an atomic batch that was not completed (its last
 * frame still says "continues"), so that a batch is visible entirely or not at all. Not thread-safe; one scan
 * per segment.
 */
public final class SegmentScan {
    /** A corrupt region: [{@code offset}, {@code offset + length}). */
    public record Region(int offset, int length, long lastGoodPosition, long nextGoodPosition) {
    }

    /** Valid frames as {offset, length, position}, in order. */
    public final List<long[]> frames = new ArrayList<>();
    /** Corrupt regions in the middle. */
    public final List<Region> corrupt = new ArrayList<>();
    /** Where the valid content ends: the segment's size after cutting a torn tail. */
    public int validEnd;
    /** The last valid position seen, or the one given when none. */
    public long lastPosition;

    /**
     * Scans a segment.
     *
     * @param data     the file's bytes, header included
     * @param len      how many bytes are in the file
     * @param previous the last valid position of the segments before
     * @param last     whether this is the last segment (whose tail may be torn)
     * @return the scan
     */
    public static SegmentScan scan(byte[] data, int len, long previous, boolean last) {
        SegmentScan s = new SegmentScan();
        s.lastPosition = previous;
        int off = Frames.HEADER;
        int batchStart = off;
        int batchFrames = 0;
        while (off < len) {
            int n = Frames.validFrame(data, off, len);
            if (n > 0 && Frames.position(data, off) > s.lastPosition) {
                s.frames.add(new long[] {off, n, Frames.position(data, off)});
                s.lastPosition = Frames.position(data, off);
                off += n;
                if (Frames.continues(data, off - n)) {
                    batchFrames++;
                } else {
                    batchFrames = 0;
                    batchStart = off;
                }
                continue;
            }
            int next = resync(data, off + 1, len, s.lastPosition);
            if (next < 0) {
                break;
            }
            s.corrupt.add(new Region(off, next - off, s.lastPosition, Frames.position(data, next)));
            off = next;
            if (batchFrames == 0) {
                batchStart = off;
            }
        }
        if (last && batchFrames > 0) {
            for (int i = 0; i < batchFrames; i++) {
                s.frames.remove(s.frames.size() - 1);
            }
            s.lastPosition = s.frames.isEmpty() ? previous : s.frames.get(s.frames.size() - 1)[2];
            off = batchStart;
        }
        s.validEnd = last ? Math.min(off, len) : len;
        if (!last && off < len) {
            s.corrupt.add(new Region(off, len - off, s.lastPosition, s.lastPosition + 1));
        }
        return s;
    }

    private static int resync(byte[] data, int from, int len, long after) {
        for (int i = from; i <= len - Frames.FIXED; i++) {
            if (Frames.validFrame(data, i, len) > 0 && Frames.position(data, i) > after) {
                return i;
            }
        }
        return -1;
    }
}
