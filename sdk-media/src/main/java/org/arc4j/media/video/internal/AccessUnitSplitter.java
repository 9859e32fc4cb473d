package org.arc4j.media.video.internal;

import java.util.ArrayList;
import java.util.List;
import org.arc4j.media.video.VideoCodec;

/**
 * Finds access unit boundaries in a sequence of NAL units that carries no timestamps of its own (an elementary
 * stream, or PES payloads not aligned to pictures): the first NAL unit of a new access unit is an access unit
 * delimiter, parameter set or SEI after a picture's slices, or the first slice of another picture
 * (H.264 §7.4.1.2.3: first_mb_in_slice 0; H.265 §7.4.2.4.4: first_slice_segment_in_pic_flag). Bounded by the caller
 * feeding it bounded NAL units; emits an access unit when the next one begins, or on {@link #flush()}.
 */
public final class AccessUnitSplitter {
    /** Receives access units. */
    @FunctionalInterface
    public interface Out {
        /**
         * One access unit.
         *
         * @param nalUnits its NAL units
         * @param position the position the caller gave with its first NAL unit
         */
        void accessUnit(List<byte[]> nalUnits, long position);
    }

    private final VideoCodec codec;
    private final int maxAccessUnit;
    private final Out out;
    private List<byte[]> current = new ArrayList<>();
    private long position;
    private int bytes;
    private boolean haveVcl;
    private boolean overflow;

    /**
     * A splitter.
     *
     * @param codec         the codec
     * @param maxAccessUnit the largest access unit kept, in bytes; a larger one is dropped
     * @param out           receives each access unit's NAL units
     */
    public AccessUnitSplitter(VideoCodec codec, int maxAccessUnit, Out out) {
        this.codec = codec;
        this.maxAccessUnit = maxAccessUnit;
        this.out = out;
    }

    /**
     * Takes the next NAL unit.
     *
     * @param nal      the NAL unit, header first
     * @param position where it began in the caller's stream, handed back with the access unit it starts
     * @return false when the access unit it belongs to grew past the bound and is being dropped
     */
    public boolean nal(byte[] nal, long position) {
        if (nal.length < codec.headerLength() + 1) {
            return true;
        }
        if (startsNew(nal)) {
            flush();
        }
        if (codec.isVcl(codec.nalType(nal))) {
            haveVcl = true;
        }
        if (overflow) {
            return false;
        }
        if (bytes + nal.length > maxAccessUnit) {
            overflow = true;
            current = new ArrayList<>();
            bytes = 0;
            return false;
        }
        if (current.isEmpty()) {
            this.position = position;
        }
        current.add(nal);
        bytes += nal.length;
        return true;
    }

    private boolean startsNew(byte[] nal) {
        if (!haveVcl) {
            return false;
        }
        int t = codec.nalType(nal);
        if (codec == VideoCodec.H264) {
            if (t == 1 || t == 5) {
                // first_mb_in_slice is the first ue(v); value 0 is the single bit 1
                return (nal[1] & 0x80) != 0;
            }
            return t == 9 || t == 7 || t == 8 || t == 6 || (t >= 14 && t <= 18);
        }
        if (t <= 31) {
            return (nal[2] & 0x80) != 0;
        }
        return (t >= 32 && t <= 35) || t == 39 || (t >= 41 && t <= 44) || (t >= 48 && t <= 55);
    }

    /** Hands on the access unit being gathered. */
    public void flush() {
        if (!current.isEmpty() && !overflow) {
            out.accessUnit(current, position);
        }
        current = new ArrayList<>();
        bytes = 0;
        haveVcl = false;
        overflow = false;
    }
}
