package org.arc4j.media.ps.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;
import org.arc4j.media.video.internal.AccessUnits;
import org.arc4j.media.video.internal.AccessUnitSplitter;

/**
 * One video elementary stream inside a program stream: PES payloads, which need not line up with pictures or even
 * NAL units, are joined, cut at start codes (Annex B) and grouped into access units; each access unit takes the PTS
 * of the PES packet it begins in (ISO/IEC 13818-1 §2.4.3.7: a PTS belongs to the first access unit that starts in
 * the packet), or one extrapolated from the last two. Bounded: a NAL unit or access unit larger than the limit is
 * dropped.
 */
public final class VideoEs {
    /** Receives access units and overflow reports. */
    public interface Out {
        /**
         * @param unit an access unit
         */
        void accessUnit(AccessUnit unit);

        /** A NAL unit or access unit was too large and dropped. */
        void tooLarge();
    }

    private static final int MAX_QUEUED_PTS = 64;
    private static final long PTS_MASK = (1L << 33) - 1;

    private final int maxAccessUnit;
    private final Out out;
    private VideoCodec codec;
    private AccessUnitSplitter splitter;
    private byte[] es = new byte[64 * 1024];
    private int esLen;
    private long esBase;
    private int nalStart = -1;
    private int scan;
    private final ArrayDeque<long[]> pts = new ArrayDeque<>();
    private long lastPts = -1;
    private long lastDelta;
    private boolean damaged;

    /**
     * A stream.
     *
     * @param codec         its codec, or null to guess it from the first NAL unit
     * @param maxAccessUnit the bound in bytes
     * @param out           receives the results
     */
    public VideoEs(VideoCodec codec, int maxAccessUnit, Out out) {
        this.maxAccessUnit = maxAccessUnit;
        this.out = out;
        if (codec != null) {
            start(codec);
        }
    }

    /** @return the codec, once known */
    public VideoCodec codec() {
        return codec;
    }

    private void start(VideoCodec c) {
        codec = c;
        splitter = new AccessUnitSplitter(c, maxAccessUnit, this::emit);
    }

    /**
     * Guesses the codec from a NAL unit that tells them apart: H.265 when its two-byte header (layer 0, TemporalId 1)
     * names a parameter set, delimiter, SEI or IRAP picture; H.264 for an SPS, PPS, delimiter, SEI or IDR picture.
     * Slices of other pictures look alike in both and decide nothing.
     *
     * @param nal a NAL unit
     * @return the codec, or null when this NAL unit does not tell
     */
    public static VideoCodec guess(byte[] nal) {
        if (nal.length >= 2 && (nal[0] & 0x81) == 0 && nal[1] == 0x01) {
            int t = (nal[0] >> 1) & 0x3F;
            if ((t >= 32 && t <= 35) || t == 39 || (t >= 16 && t <= 21)) {
                return VideoCodec.H265;
            }
        }
        int t = nal[0] & 0x1F;
        if ((nal[0] & 0x80) == 0 && (t == 5 || t == 7 || t == 8 || t == 9 || nal[0] == 0x06)) {
            return VideoCodec.H264;
        }
        return null;
    }

    /** A gap in the stream (garbage, a refused packet): the NAL unit in progress is dropped. */
    public void discontinuity() {
        damaged = true;
        nalStart = -1;
        esBase += esLen;
        esLen = 0;
        scan = 0;
    }

    /**
     * A PES payload.
     *
     * @param b     bytes
     * @param off   first byte
     * @param len   length
     * @param ptsOf the packet's PTS, or -1
     * @param aligned the packet's data_alignment_indicator (ISO/IEC 13818-1 §2.4.3.7)
     */
    public void payload(byte[] b, int off, int len, long ptsOf, boolean aligned) {
        if (aligned && ptsOf >= 0 && splitter != null && startsWithStartCode(b, off, len)) {
            // a picture starts exactly here: what came before is complete, so hand it on without waiting for
            // the next picture's first NAL unit to end
            if (nalStart >= 0 && nalStart < esLen) {
                nal(nalStart, esLen);
            }
            nalStart = -1;
            esBase += esLen;
            esLen = 0;
            scan = 0;
            splitter.flush();
        }
        if (ptsOf >= 0) {
            if (pts.size() == MAX_QUEUED_PTS) {
                pts.removeFirst();
            }
            pts.addLast(new long[] {esBase + esLen, ptsOf});
        }
        if (esLen + len > es.length) {
            compact();
        }
        if (esLen + len > maxAccessUnit + 4) {
            out.tooLarge();
            discontinuity();
            if (len > maxAccessUnit) {
                return;
            }
        }
        if (esLen + len > es.length) {
            es = Arrays.copyOf(es, Math.min(maxAccessUnit + 4, Math.max(es.length * 2, esLen + len)));
        }
        System.arraycopy(b, off, es, esLen, len);
        esLen += len;
        cut();
    }

    private static boolean startsWithStartCode(byte[] b, int off, int len) {
        return len >= 4 && b[off] == 0 && b[off + 1] == 0
                && (b[off + 2] == 1 || (b[off + 2] == 0 && b[off + 3] == 1));
    }

    private void cut() {
        int i = Math.max(scan, 0);
        while (i + 2 < esLen) {
            if ((es[i + 2] & 0xFF) > 1) {
                i += 3;
                continue;
            }
            if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
                if (nalStart >= 0) {
                    nal(nalStart, i);
                }
                nalStart = i + 3;
                i += 3;
            } else {
                i++;
            }
        }
        scan = Math.max(i, nalStart);
        if (nalStart < 0) {
            // nothing before the first start code is usable; keep two bytes in case one straddles the payloads
            int keep = Math.min(esLen, 2);
            System.arraycopy(es, esLen - keep, es, 0, keep);
            esBase += esLen - keep;
            esLen = keep;
            scan = 0;
        }
    }

    private void nal(int from, int to) {
        int stop = to;
        while (stop > from && es[stop - 1] == 0) {
            stop--;
        }
        if (stop - from < 2) {
            return;
        }
        byte[] nal = Arrays.copyOfRange(es, from, stop);
        if (splitter == null) {
            VideoCodec c = guess(nal);
            if (c == null) {
                // undecodable before the first parameter set or key picture anyway
                return;
            }
            start(c);
        }
        if (!splitter.nal(nal, esBase + from - 3)) {
            out.tooLarge();
        }
    }

    private void compact() {
        int k = nalStart >= 0 ? nalStart : Math.max(0, esLen - 2);
        if (k > 0) {
            System.arraycopy(es, k, es, 0, esLen - k);
            esLen -= k;
            esBase += k;
            scan = Math.max(0, scan - k);
            if (nalStart >= 0) {
                nalStart -= k;
            }
        }
    }

    /** The end of the stream: the last NAL unit and access unit are handed on. */
    public void flush() {
        if (nalStart >= 0 && nalStart < esLen) {
            nal(nalStart, esLen);
        }
        nalStart = -1;
        esBase += esLen;
        esLen = 0;
        scan = 0;
        if (splitter != null) {
            splitter.flush();
        }
    }

    private void emit(List<byte[]> nals, long position) {
        long[] claimed = null;
        while (!pts.isEmpty() && pts.peekFirst()[0] <= position) {
            claimed = pts.removeFirst();
        }
        long t;
        if (claimed != null) {
            t = claimed[1];
            if (lastPts >= 0) {
                long d = (t - lastPts) & PTS_MASK;
                if (d > 0 && d < 90_000 * 10) {
                    lastDelta = d;
                }
            }
        } else {
            t = lastPts >= 0 ? (lastPts + lastDelta) & PTS_MASK : -1;
        }
        lastPts = t;
        boolean intact = !damaged;
        damaged = false;
        out.accessUnit(AccessUnits.wrap(codec, t, nals, intact));
    }
}
