package org.arc4j.media.video.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Depacketizer;
import org.arc4j.media.video.VideoCodec;
import org.arc4j.media.video.VideoError;
import org.arc4j.media.video.VideoInvalid;

/**
 * What the H.264 and H.265 depacketisers share: gathering NAL units by RTP timestamp into access units, emitting at
 * the marker bit or the next timestamp (RFC 6184 §5.1, RFC 7798 §4.1), reassembling fragmented NAL units, noticing
 * lost packets, keeping the latest parameter sets and putting them in front of a key picture that arrived without
 * them. Bounded: no NAL unit or access unit grows beyond {@code maxAccessUnit} bytes.
 */
public final class AccessUnitAssembler {
    private final VideoCodec codec;
    private final int maxAccessUnit;
    private final Depacketizer.Sink sink;
    private final byte[][] parameterSets = new byte[3][];

    private boolean haveSequence;
    private int expectedSequence;
    private int sequence;
    private boolean pendingStarted;
    private long pendingTimestamp;
    private final List<byte[]> pending = new ArrayList<>();
    private int pendingBytes;
    private boolean pendingIntact = true;
    private boolean pendingOverflow;

    private boolean fragmenting;
    private boolean broken;
    private byte[] fragment = new byte[2048];
    private int fragmentLength;

    /**
     * An assembler.
     *
     * @param codec         the codec
     * @param maxAccessUnit the largest access unit accepted, in bytes
     * @param parameterSets parameter sets known from SDP (may be empty)
     * @param sink          receives the results
     */
    public AccessUnitAssembler(VideoCodec codec, int maxAccessUnit, List<byte[]> parameterSets,
                               Depacketizer.Sink sink) {
        if (maxAccessUnit < 64) {
            throw new IllegalArgumentException("maxAccessUnit " + maxAccessUnit);
        }
        this.codec = codec;
        this.maxAccessUnit = maxAccessUnit;
        this.sink = sink;
        for (byte[] ps : parameterSets) {
            remember(ps);
        }
    }

    /** @return the latest parameter sets, VPS (H.265), SPS, PPS */
    public List<byte[]> parameterSets() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] ps : parameterSets) {
            if (ps != null) {
                out.add(ps.clone());
            }
        }
        return out;
    }

    /**
     * Starts a packet: notices lost packets and a new timestamp.
     *
     * @param p the packet
     */
    public void begin(RtpPacket p) {
        sequence = p.sequence();
        boolean gap = haveSequence && p.sequence() != expectedSequence;
        haveSequence = true;
        expectedSequence = (p.sequence() + 1) & 0xFFFF;
        if (gap) {
            if (fragmenting) {
                fragmenting = false;
                // the rest of this NAL unit's fragments are dropped quietly: one loss, one report
                broken = true;
                sink.invalid(new VideoInvalid(VideoError.FRAGMENT_LOST, p.sequence(), "fragments lost before it"));
            } else {
                sink.invalid(new VideoInvalid(VideoError.PACKETS_LOST, p.sequence(), "sequence jumped"));
            }
            pendingIntact = false;
            if (pendingStarted && p.timestamp() != pendingTimestamp) {
                emit();
                // the lost packets may have been this access unit's first
                pendingIntact = false;
            }
        }
        if (pendingStarted && p.timestamp() != pendingTimestamp) {
            if (fragmenting) {
                fragmenting = false;
                pendingIntact = false;
                sink.invalid(new VideoInvalid(VideoError.FRAGMENT_LOST, p.sequence(), "end fragment never came"));
            }
            emit();
        }
        if (!pendingStarted) {
            pendingStarted = true;
            pendingTimestamp = p.timestamp();
        }
    }

    /**
     * Ends a packet: the marker bit ends the access unit.
     *
     * @param p the packet
     */
    public void end(RtpPacket p) {
        if (p.marker() && !fragmenting) {
            emit();
        }
    }

    /**
     * A whole NAL unit.
     *
     * @param b   bytes
     * @param off its first byte (the header)
     * @param len its length
     */
    public void nal(byte[] b, int off, int len) {
        add(Arrays.copyOfRange(b, off, off + len));
    }

    /**
     * The start of a fragmented NAL unit.
     *
     * @param header the reconstructed NAL header
     * @param b      bytes
     * @param off    first byte of the fragment
     * @param len    its length
     */
    public void fragmentStart(byte[] header, byte[] b, int off, int len) {
        if (fragmenting) {
            pendingIntact = false;
            sink.invalid(new VideoInvalid(VideoError.FRAGMENT_LOST, sequence, "a new start before the end"));
        }
        fragmenting = true;
        broken = false;
        fragmentLength = 0;
        append(header, 0, header.length);
        append(b, off, len);
    }

    /**
     * A middle or end fragment.
     *
     * @param b   bytes
     * @param off first byte of the fragment
     * @param len its length
     * @param end whether it is the last
     */
    public void fragment(byte[] b, int off, int len, boolean end) {
        if (!fragmenting) {
            pendingIntact = false;
            if (broken) {
                broken = !end;
                return;
            }
            sink.invalid(new VideoInvalid(VideoError.FRAGMENT_WITHOUT_START, sequence, "no start fragment"));
            return;
        }
        if (!append(b, off, len)) {
            return;
        }
        if (end) {
            fragmenting = false;
            add(Arrays.copyOf(fragment, fragmentLength));
        }
    }

    /**
     * A packet refused by the codec's parser: whatever fragment was in progress is dropped.
     *
     * @param error  why
     * @param detail detail
     */
    public void invalid(VideoError error, String detail) {
        fragmenting = false;
        broken = false;
        pendingIntact = false;
        sink.invalid(new VideoInvalid(error, sequence, detail));
    }

    /** Hands on the pending access unit. */
    public void flush() {
        if (fragmenting) {
            fragmenting = false;
            pendingIntact = false;
        }
        emit();
    }

    private boolean append(byte[] b, int off, int len) {
        if (fragmentLength + len > maxAccessUnit) {
            fragmenting = false;
            overflow();
            return false;
        }
        if (fragmentLength + len > fragment.length) {
            fragment = Arrays.copyOf(fragment, Math.min(maxAccessUnit, Math.max(fragment.length * 2,
                    fragmentLength + len)));
        }
        System.arraycopy(b, off, fragment, fragmentLength, len);
        fragmentLength += len;
        return true;
    }

    private void overflow() {
        if (!pendingOverflow) {
            sink.invalid(new VideoInvalid(VideoError.TOO_LARGE, sequence, "access unit over " + maxAccessUnit
                    + " bytes"));
        }
        pendingOverflow = true;
        pending.clear();
        pendingBytes = 0;
    }

    private void add(byte[] nal) {
        if (pendingOverflow) {
            return;
        }
        if (pendingBytes + nal.length > maxAccessUnit) {
            overflow();
            return;
        }
        if (codec.isParameterSet(codec.nalType(nal))) {
            remember(nal);
        }
        pending.add(nal);
        pendingBytes += nal.length;
    }

    private void remember(byte[] ps) {
        int type = codec.nalType(ps);
        int slot = codec == VideoCodec.H264 ? type - 6 : type - 32;
        if (codec.isParameterSet(type)) {
            parameterSets[slot] = ps.clone();
        }
    }

    private void emit() {
        if (!pending.isEmpty() && !pendingOverflow) {
            List<byte[]> nals = pending;
            boolean key = false;
            boolean[] present = new boolean[3];
            for (byte[] n : nals) {
                int t = codec.nalType(n);
                key |= codec.isKey(t);
                if (codec.isParameterSet(t)) {
                    present[codec == VideoCodec.H264 ? t - 6 : t - 32] = true;
                }
            }
            if (key) {
                List<byte[]> withSets = new ArrayList<>(nals.size() + 3);
                for (int i = 0; i < 3; i++) {
                    if (!present[i] && parameterSets[i] != null) {
                        withSets.add(parameterSets[i]);
                    }
                }
                withSets.addAll(nals);
                nals = withSets;
            }
            sink.accessUnit(AccessUnits.wrap(codec, pendingTimestamp, nals, pendingIntact));
        }
        pending.clear();
        pendingBytes = 0;
        pendingStarted = false;
        pendingIntact = true;
        pendingOverflow = false;
    }

    /** Tells whether the NAL unit header of an aggregated unit starting at {@code at} is unacceptable. */
    @FunctionalInterface
    public interface HeaderCheck {
        /**
         * @param b  the packet payload
         * @param at where the unit's NAL header starts
         * @return true to refuse the packet
         */
        boolean bad(byte[] b, int at);
    }

    /**
     * Takes the units of an aggregation packet (H.264 STAP-A, RFC 6184 §5.7.1; H.265 AP, RFC 7798 §4.4.2): a
     * sequence of 16-bit sizes each followed by a NAL unit. Every size and header is checked before any unit is
     * taken, so a truncated or corrupt packet is refused whole.
     *
     * @param b       the payload
     * @param first   where the first size field starts (after the packet's own header)
     * @param minUnit the smallest unit (its NAL header's length)
     * @param check   the codec's header check
     * @param name    the packet type's name, for the refusal
     */
    public void aggregate(byte[] b, int first, int minUnit, HeaderCheck check, String name) {
        int at = first;
        int count = 0;
        while (at < b.length) {
            if (at + 2 > b.length) {
                invalid(VideoError.AGGREGATE_TRUNCATED, "size field cut at " + at);
                return;
            }
            int n = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
            if (n < minUnit || at + 2 + n > b.length) {
                invalid(VideoError.AGGREGATE_TRUNCATED, "unit of " + n + " bytes at " + at);
                return;
            }
            if (check.bad(b, at + 2)) {
                invalid(VideoError.BAD_NAL_HEADER, "aggregated unit header at " + at);
                return;
            }
            at += 2 + n;
            count++;
        }
        if (count == 0) {
            invalid(VideoError.TOO_SHORT, name + " without units");
            return;
        }
        at = first;
        while (at < b.length) {
            int n = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
            nal(b, at + 2, n);
            at += 2 + n;
        }
    }
}
