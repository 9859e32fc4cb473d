package org.arc4j.core.store.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Recovery's reading of one segment's bytes: which frames are valid, where a torn tail starts and which
 * regions in the middle are corrupt.
 *
 * <p>A bad frame followed by at least one valid frame that starts an append (with a higher position than every
 * valid one before) is corruption in the middle: it is reported as a region and skipped. A bad frame with nothing
 * valid after it is the tail. A batch is visible entirely or not at all: a batch cut by damage or by the end of
 * the file goes with the damage (into the region, or the torn tail), and so do the later frames of a batch whose
 * start was lost. Not thread-safe; one scan per segment.
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
            // in sequence: a valid frame after every valid one before, starting an append exactly when the
            // previous frame ended one
            if (n > 0 && Frames.position(data, off) > s.lastPosition
                    && Frames.first(data, off) == (batchFrames == 0)) {
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
            // a damaged batch goes whole: its records before the damage join the corrupt region
            int from = batchFrames > 0 ? batchStart : off;
            for (int i = 0; i < batchFrames; i++) {
                s.frames.remove(s.frames.size() - 1);
            }
            if (batchFrames > 0) {
                s.lastPosition = s.frames.isEmpty() ? previous : s.frames.get(s.frames.size() - 1)[2];
                batchFrames = 0;
            }
            int next = resync(data, off + 1, len, s.lastPosition);
            if (next < 0) {
                off = from;
                break;
            }
            s.corrupt.add(new Region(from, next - from, s.lastPosition, Frames.position(data, next)));
            off = next;
            batchStart = off;
        }
        if (batchFrames > 0) {
            // the file ends inside a batch: in the last segment a torn tail, elsewhere damage
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

    /** The next offset where a valid frame that starts an append begins, after {@code after}. */
    private static int resync(byte[] data, int from, int len, long after) {
        for (int i = from; i <= len - Frames.FIXED; i++) {
            if (Frames.validFrame(data, i, len) > 0 && Frames.first(data, i) && Frames.position(data, i) > after) {
                return i;
            }
        }
        return -1;
    }
}
