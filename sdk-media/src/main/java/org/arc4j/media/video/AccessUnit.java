package org.arc4j.media.video;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.arc4j.media.video.internal.AccessUnits;

/**
 * The NAL units of one coded picture (H.264 §7.4.1.2.3, H.265 §7.4.2.4.4), as an RTP depacketiser or a PS demuxer
 * gathered them, with the 90 kHz timestamp they shared. Immutable.
 */
public final class AccessUnit {
    private final VideoCodec codec;
    private final long timestamp;
    private final List<byte[]> nalUnits;
    private final boolean key;
    private final boolean intact;

    /**
     * An access unit.
     *
     * @param codec     its codec
     * @param timestamp the 90 kHz time: the RTP timestamp (32 bits) or the PES PTS (33 bits); -1 when a program
     *                  stream gave none yet
     * @param nalUnits  the NAL units in decoding order, each starting with its header, no start codes; copied
     * @param intact    false when packets or fragments of it were lost, so a decoder may show damage
     */
    public AccessUnit(VideoCodec codec, long timestamp, List<byte[]> nalUnits, boolean intact) {
        this(codec, timestamp, nalUnits, intact, true);
    }

    static {
        // the depacketisers and the PS demuxer hand over NAL units they built and never touch again, so they may
        // skip the defensive copy (an access unit's bytes would otherwise be copied twice on the receive path)
        AccessUnits.install((codec, timestamp, nalUnits, intact) -> new AccessUnit(codec, timestamp, nalUnits, intact,
                false));
    }

    private AccessUnit(VideoCodec codec, long timestamp, List<byte[]> nalUnits, boolean intact, boolean copy) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.timestamp = timestamp;
        List<byte[]> own = new ArrayList<>(nalUnits.size());
        boolean k = false;
        for (byte[] n : nalUnits) {
            own.add(copy ? n.clone() : n);
            k |= codec.isKey(codec.nalType(n));
        }
        this.nalUnits = List.copyOf(own);
        this.key = k;
        this.intact = intact;
    }

    /** @return the codec */
    public VideoCodec codec() {
        return codec;
    }

    /** @return the 90 kHz timestamp (RTP timestamp or PTS), or -1 when unknown */
    public long timestamp() {
        return timestamp;
    }

    /** @return true when it holds an IDR (H.264) or IRAP (H.265) picture, where decoding can start */
    public boolean isKey() {
        return key;
    }

    /** @return false when packets or fragments of it were lost */
    public boolean isIntact() {
        return intact;
    }

    /** @return how many NAL units it holds */
    public int nalUnitCount() {
        return nalUnits.size();
    }

    /**
     * One NAL unit.
     *
     * @param i its index
     * @return a copy, starting with the NAL header
     */
    public byte[] nalUnit(int i) {
        return nalUnits.get(i).clone();
    }

    /** @return the NAL types in order */
    public int[] nalTypes() {
        return nalUnits.stream().mapToInt(codec::nalType).toArray();
    }

    /** @return the total size of the NAL units, without start codes or lengths */
    public int size() {
        int n = 0;
        for (byte[] b : nalUnits) {
            n += b.length;
        }
        return n;
    }

    /** @return the byte-stream form (H.264/H.265 Annex B): each NAL unit after a four-byte start code */
    public byte[] toAnnexB() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size() + 4 * nalUnits.size());
        for (byte[] n : nalUnits) {
            out.write(0);
            out.write(0);
            out.write(0);
            out.write(1);
            out.writeBytes(n);
        }
        return out.toByteArray();
    }

    /** @return the length-prefixed form of MP4 samples (ISO/IEC 14496-15): each NAL unit after a 32-bit length */
    public byte[] toLengthPrefixed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size() + 4 * nalUnits.size());
        for (byte[] n : nalUnits) {
            out.write(n.length >>> 24);
            out.write(n.length >>> 16);
            out.write(n.length >>> 8);
            out.write(n.length);
            out.writeBytes(n);
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AccessUnit a) || a.codec != codec || a.timestamp != timestamp || a.intact != intact
                || a.nalUnits.size() != nalUnits.size()) {
            return false;
        }
        for (int i = 0; i < nalUnits.size(); i++) {
            if (!Arrays.equals(a.nalUnits.get(i), nalUnits.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = codec.hashCode() * 31 + Long.hashCode(timestamp);
        for (byte[] n : nalUnits) {
            h = h * 31 + Arrays.hashCode(n);
        }
        return h;
    }

    @Override
    public String toString() {
        return "AccessUnit{" + codec + " ts=" + timestamp + " nal=" + Arrays.toString(nalTypes()) + (key ? " key" : "")
                + (intact ? "" : " damaged") + " " + size() + " bytes}";
    }
}
