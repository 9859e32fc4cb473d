package org.arc4j.media.clip.internal;

import java.util.List;
import org.arc4j.media.clip.AudioCodec;
import org.arc4j.media.clip.AudioTrack;
import org.arc4j.media.video.Sps;
import org.arc4j.media.video.VideoCodec;
import org.arc4j.media.video.internal.BitReader;

/**
 * The {@code stsd} entries of the tracks arc4j writes: {@code avc1}/{@code avcC} (ISO/IEC 14496-15 §5.3),
 * {@code hvc1}/{@code hvcC} (§8.3), {@code mp4a}/{@code esds} (ISO/IEC 14496-14 §5.6) and QuickTime's
 * {@code alaw}/{@code ulaw} sound descriptions, whose version-0 layout is that of ISO's AudioSampleEntry. Stateless.
 */
public final class SampleEntries {
    private SampleEntries() {
    }

    /**
     * The visual sample entry for a stream.
     *
     * @param codec the codec
     * @param sps   what its SPS says
     * @param sets  the parameter sets: SPS and PPS for H.264; VPS, SPS and PPS for H.265 (NAL units, headers
     *              included)
     * @return the box
     * @throws BitReader.Exhausted if an H.265 SPS ends before its profile, tier and level
     */
    public static Box video(VideoCodec codec, Sps sps, List<byte[]> sets) {
        Box config = codec == VideoCodec.H264 ? avcC(sets) : hvcC(sets);
        return new Box(codec == VideoCodec.H264 ? "avc1" : "hvc1").zeros(6).u16(1).zeros(16).u16(sps.width())
                .u16(sps.height()).u32(0x00480000).u32(0x00480000).u32(0).u16(1).zeros(32).u16(0x18).u16(0xFFFF)
                .child(config);
    }

    private static Box avcC(List<byte[]> sets) {
        byte[] sps = first(sets, VideoCodec.H264, 7);
        byte[] pps = first(sets, VideoCodec.H264, 8);
        return new Box("avcC").u8(1).u8(sps[1] & 0xFF).u8(sps[2] & 0xFF).u8(sps[3] & 0xFF).u8(0xFF).u8(0xE1)
                .u16(sps.length).bytes(sps).u8(1).u16(pps.length).bytes(pps);
    }

    /** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1): the SPS's profile, tier and level, then the sets. */
    private static Box hvcC(List<byte[]> sets) {
        byte[] sps = first(sets, VideoCodec.H265, 33);
        BitReader r = new BitReader(sps, 2);
        r.skip(4);
        int maxSubLayersMinus1 = (int) r.bits(3);
        int nested = r.bit();
        int spaceTierProfile = (int) r.bits(8);
        long compatibility = r.bits(32);
        long constraints = r.bits(48);
        int level = (int) r.bits(8);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.flag();
            levelPresent[i] = r.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2 * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            r.skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }
        r.ue(); // sps_seq_parameter_set_id
        int chroma = (int) r.ue();
        if (chroma == 3) {
            r.skip(1);
        }
        r.ue();
        r.ue();
        if (r.flag()) {
            r.ue();
            r.ue();
            r.ue();
            r.ue();
        }
        int lumaDepth = (int) r.ue();
        int chromaDepth = (int) r.ue();
        Box b = new Box("hvcC").u8(1).u8(spaceTierProfile).u32((int) compatibility).u16((int) (constraints >>> 32))
                .u32((int) constraints).u8(level).u16(0xF000).u8(0xFC).u8(0xFC | (chroma & 3))
                .u8(0xF8 | (lumaDepth & 7)).u8(0xF8 | (chromaDepth & 7)).u16(0)
                .u8(((maxSubLayersMinus1 + 1) << 3) | (nested << 2) | 3);
        int[] types = {32, 33, 34};
        b.u8(types.length);
        for (int t : types) {
            byte[] nal = first(sets, VideoCodec.H265, t);
            b.u8(0x80 | t).u16(1).u16(nal.length).bytes(nal);
        }
        return b;
    }

    /**
     * The RFC 6381 codecs parameter of an H.265 stream (ISO/IEC 14496-15 Annex E.3), e.g. {@code hvc1.1.6.L93.B0}:
     * profile space and profile, the compatibility flags in reverse bit order, tier and level, then the constraint
     * bytes as two hex digits each, without the trailing zero ones (as GStreamer's pbutils writes them). Browsers answer {@code MediaSource.isTypeSupported} on this.
     *
     * @param sps the SPS NAL unit, header included
     * @return the parameter
     * @throws BitReader.Exhausted if the SPS ends before its profile, tier and level
     */
    public static String hevcCodecs(byte[] sps) {
        BitReader r = new BitReader(sps, 2);
        r.skip(8); // sps_video_parameter_set_id, sps_max_sub_layers_minus1, sps_temporal_id_nesting_flag
        int space = (int) r.bits(2);
        int tier = r.bit();
        int profile = (int) r.bits(5);
        long compatibility = r.bits(32);
        long constraints = r.bits(48);
        int level = (int) r.bits(8);
        StringBuilder b = new StringBuilder("hvc1.");
        if (space > 0) {
            b.append((char) ('A' + space - 1));
        }
        b.append(profile).append('.').append(Integer.toHexString(Integer.reverse((int) compatibility)).toUpperCase())
                .append('.').append(tier == 0 ? 'L' : 'H').append(level);
        int last = 5;
        while (last >= 0 && ((constraints >>> (8 * (5 - last))) & 0xFF) == 0) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            b.append(String.format(".%02X", (constraints >>> (8 * (5 - i))) & 0xFF));
        }
        return b.toString();
    }

    /**
     * The sample entry of an audio track.
     *
     * @param a the track
     * @return {@code mp4a} with its {@code esds}, or {@code alaw}/{@code ulaw}
     */
    public static Box audio(AudioTrack a) {
        String type = switch (a.codec()) {
            case AAC -> "mp4a";
            case G711A -> "alaw";
            case G711U -> "ulaw";
        };
        // reserved, data_reference_index, version/revision/vendor, channels, sample size, pre_defined, rate 16.16
        Box b = new Box(type).zeros(6).u16(1).zeros(8).u16(a.channels()).u16(16).u16(0).u16(0)
                .u32(Math.min(a.sampleRate(), 0xFFFF) << 16);
        if (a.codec() == AudioCodec.AAC) {
            b.child(esds(a.aacConfig()));
        }
        return b;
    }

    /** ES_Descriptor (ISO/IEC 14496-1 §7.2.6.5) with a DecoderConfigDescriptor for AAC (object type 0x40). */
    private static Box esds(byte[] asc) {
        int dsi = 2 + asc.length;
        int dcd = 2 + 13 + dsi;
        int es = 2 + 3 + dcd + 3;
        return new Box("esds").u32(0)
                .u8(0x03).u8(es - 2).u16(0).u8(0)
                .u8(0x04).u8(dcd - 2).u8(0x40).u8(0x15).u24(0).u32(0).u32(0)
                .u8(0x05).u8(asc.length).bytes(asc)
                .u8(0x06).u8(1).u8(0x02);
    }

    private static byte[] first(List<byte[]> sets, VideoCodec codec, int type) {
        for (byte[] n : sets) {
            if (codec.nalType(n) == type) {
                return n;
            }
        }
        throw new IllegalArgumentException("no parameter set of NAL type " + type);
    }
}
