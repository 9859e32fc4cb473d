package org.arc4j.media.video;

import java.util.OptionalDouble;
import org.arc4j.media.video.internal.BitReader;

/**
 * Reads the picture size, profile, level and VUI frame rate from a sequence parameter set: H.264 §7.3.2.1.1 with
 * the cropping rectangle of §7.4.2.1.1 and VUI of E.1.1; H.265 §7.3.2.2.1 with the conformance window of
 * §7.4.3.2.1 and VUI of E.2.1. A VUI cut short leaves the frame rate absent rather than refusing the size. Never
 * throws on bad input. Stateless and thread-safe.
 */
public final class SpsParser {
    /** The only instance. */
    public static final SpsParser INSTANCE = new SpsParser();

    private static final int MAX_DIMENSION = 16_888;

    private SpsParser() {
    }

    /**
     * Parses an SPS of either codec.
     *
     * @param codec the codec
     * @param nal   the NAL unit, header included, without start code
     * @return the fields or why not
     */
    public SpsResult parse(VideoCodec codec, byte[] nal) {
        if (codec.nalType(nal) != codec.spsType()) {
            return new SpsResult.Invalid(VideoError.BAD_NAL_HEADER, "NAL type " + codec.nalType(nal) + " is not an SPS");
        }
        try {
            return codec == VideoCodec.H264 ? h264(new BitReader(nal, 1)) : h265(new BitReader(nal, 2));
        } catch (BitReader.Exhausted e) {
            return new SpsResult.Invalid(VideoError.SPS_TRUNCATED, "the SPS ends inside its syntax");
        } catch (BadValue e) {
            return new SpsResult.Invalid(VideoError.SPS_BAD_VALUE, e.getMessage());
        }
    }

    private static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadValue(String what) {
            super(what, null, false, false);
        }
    }

    private static long ue(BitReader r, long max, String name) {
        long v = r.ue();
        if (v > max) {
            throw new BadValue(name + " " + v + " above " + max);
        }
        return v;
    }

    private static boolean highProfile(int p) {
        return p == 100 || p == 110 || p == 122 || p == 244 || p == 44 || p == 83 || p == 86 || p == 118 || p == 128
                || p == 138 || p == 139 || p == 134 || p == 135;
    }

    private static SpsResult h264(BitReader r) {
        int profile = (int) r.bits(8);
        r.skip(8);
        int level = (int) r.bits(8);
        ue(r, 31, "seq_parameter_set_id");
        int chroma = 1;
        boolean separate = false;
        if (highProfile(profile)) {
            chroma = (int) ue(r, 3, "chroma_format_idc");
            if (chroma == 3) {
                separate = r.flag();
            }
            ue(r, 6, "bit_depth_luma_minus8");
            ue(r, 6, "bit_depth_chroma_minus8");
            r.skip(1);
            if (r.flag()) {
                for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                    if (r.flag()) {
                        scalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        ue(r, 12, "log2_max_frame_num_minus4");
        long poc = ue(r, 2, "pic_order_cnt_type");
        if (poc == 0) {
            ue(r, 12, "log2_max_pic_order_cnt_lsb_minus4");
        } else if (poc == 1) {
            r.skip(1);
            r.se();
            r.se();
            long n = ue(r, 255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (int i = 0; i < n; i++) {
                r.se();
            }
        }
        r.ue();
        r.skip(1);
        long widthMbs = ue(r, MAX_DIMENSION / 16, "pic_width_in_mbs_minus1") + 1;
        long heightMapUnits = ue(r, MAX_DIMENSION / 16, "pic_height_in_map_units_minus1") + 1;
        boolean frameMbsOnly = r.flag();
        if (!frameMbsOnly) {
            r.skip(1);
        }
        r.skip(1);
        long cl = 0;
        long cr = 0;
        long ct = 0;
        long cb = 0;
        if (r.flag()) {
            cl = ue(r, MAX_DIMENSION, "frame_crop_left_offset");
            cr = ue(r, MAX_DIMENSION, "frame_crop_right_offset");
            ct = ue(r, MAX_DIMENSION, "frame_crop_top_offset");
            cb = ue(r, MAX_DIMENSION, "frame_crop_bottom_offset");
        }
        int arrayType = separate ? 0 : chroma;
        int fieldFactor = frameMbsOnly ? 1 : 2;
        int unitX = arrayType == 0 || arrayType == 3 ? 1 : 2;
        int unitY = (arrayType == 1 ? 2 : 1) * fieldFactor;
        long width = widthMbs * 16 - unitX * (cl + cr);
        long height = heightMapUnits * 16 * fieldFactor - unitY * (ct + cb);
        if (width <= 0 || height <= 0) {
            throw new BadValue("cropping leaves " + width + "x" + height);
        }
        OptionalDouble fps = OptionalDouble.empty();
        try {
            if (r.flag()) {
                fps = vuiTiming(r, false, 2);
            }
        } catch (BitReader.Exhausted cut) {
            // a VUI cut short: the size stands, the frame rate is unknown
        }
        return new SpsResult.Valid(new Sps(VideoCodec.H264, profile, level, chroma, (int) width, (int) height, fps));
    }

    private static void scalingList(BitReader r, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (int) ((last + r.se() + 256) % 256);
            }
            last = next == 0 ? last : next;
        }
    }

    private static OptionalDouble vuiTiming(BitReader r, boolean hevc, int ticksPerFrame) {
        if (r.flag()) {
            if (r.bits(8) == 255) {
                r.skip(32);
            }
        }
        if (r.flag()) {
            r.skip(1);
        }
        if (r.flag()) {
            r.skip(4);
            if (r.flag()) {
                r.skip(24);
            }
        }
        if (r.flag()) {
            r.ue();
            r.ue();
        }
        if (hevc) {
            r.skip(3);
            if (r.flag()) {
                r.ue();
                r.ue();
                r.ue();
                r.ue();
            }
        }
        if (r.flag()) {
            long units = r.bits(32);
            long scale = r.bits(32);
            if (units > 0 && scale > 0) {
                return OptionalDouble.of(scale / (double) (ticksPerFrame * units));
            }
        }
        return OptionalDouble.empty();
    }

    private static SpsResult h265(BitReader r) {
        r.skip(4);
        int maxSubLayers = (int) r.bits(3);
        if (maxSubLayers > 6) {
            throw new BadValue("sps_max_sub_layers_minus1 " + maxSubLayers);
        }
        r.skip(1);
        r.skip(3);
        int profile = (int) r.bits(5);
        r.skip(32 + 48);
        int level = (int) r.bits(8);
        boolean[] profilePresent = new boolean[maxSubLayers];
        boolean[] levelPresent = new boolean[maxSubLayers];
        for (int i = 0; i < maxSubLayers; i++) {
            profilePresent[i] = r.flag();
            levelPresent[i] = r.flag();
        }
        if (maxSubLayers > 0) {
            r.skip(2 * (8 - maxSubLayers));
        }
        for (int i = 0; i < maxSubLayers; i++) {
            if (profilePresent[i]) {
                r.skip(88);
            }
            if (levelPresent[i]) {
                r.skip(8);
            }
        }
        ue(r, 15, "sps_seq_parameter_set_id");
        int chroma = (int) ue(r, 3, "chroma_format_idc");
        boolean separate = chroma == 3 && r.flag();
        long w = ue(r, MAX_DIMENSION, "pic_width_in_luma_samples");
        long h = ue(r, MAX_DIMENSION, "pic_height_in_luma_samples");
        long cl = 0;
        long cr = 0;
        long ct = 0;
        long cb = 0;
        if (r.flag()) {
            cl = ue(r, MAX_DIMENSION, "conf_win_left_offset");
            cr = ue(r, MAX_DIMENSION, "conf_win_right_offset");
            ct = ue(r, MAX_DIMENSION, "conf_win_top_offset");
            cb = ue(r, MAX_DIMENSION, "conf_win_bottom_offset");
        }
        int subWidth = (chroma == 1 || chroma == 2) && !separate ? 2 : 1;
        int subHeight = chroma == 1 && !separate ? 2 : 1;
        long width = w - subWidth * (cl + cr);
        long height = h - subHeight * (ct + cb);
        if (width <= 0 || height <= 0) {
            throw new BadValue("conformance window leaves " + width + "x" + height);
        }
        OptionalDouble fps = OptionalDouble.empty();
        try {
            fps = h265Rest(r, maxSubLayers);
        } catch (BitReader.Exhausted cut) {
            // as for H.264: the size stands
        }
        return new SpsResult.Valid(new Sps(VideoCodec.H265, profile, level, chroma, (int) width, (int) height, fps));
    }

    private static OptionalDouble h265Rest(BitReader r, int maxSubLayers) {
        ue(r, 8, "bit_depth_luma_minus8");
        ue(r, 8, "bit_depth_chroma_minus8");
        int pocLsbBits = (int) ue(r, 12, "log2_max_pic_order_cnt_lsb_minus4") + 4;
        boolean ordering = r.flag();
        for (int i = ordering ? 0 : maxSubLayers; i <= maxSubLayers; i++) {
            r.ue();
            r.ue();
            r.ue();
        }
        for (int i = 0; i < 6; i++) {
            r.ue();
        }
        if (r.flag() && r.flag()) {
            for (int sizeId = 0; sizeId < 4; sizeId++) {
                for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
                    if (!r.flag()) {
                        r.ue();
                    } else {
                        int coefs = Math.min(64, 1 << (4 + (sizeId << 1)));
                        if (sizeId > 1) {
                            r.se();
                        }
                        for (int k = 0; k < coefs; k++) {
                            r.se();
                        }
                    }
                }
            }
        }
        r.skip(2);
        if (r.flag()) {
            r.skip(8);
            r.ue();
            r.ue();
            r.skip(1);
        }
        int sets = (int) ue(r, 64, "num_short_term_ref_pic_sets");
        int[] deltaPocs = new int[sets];
        for (int i = 0; i < sets; i++) {
            boolean predicted = i != 0 && r.flag();
            if (predicted) {
                r.skip(1);
                r.ue();
                int count = 0;
                for (int j = 0; j <= deltaPocs[i - 1]; j++) {
                    boolean used = r.flag();
                    if (used || r.flag()) {
                        count++;
                    }
                }
                deltaPocs[i] = count;
            } else {
                int neg = (int) ue(r, 16, "num_negative_pics");
                int pos = (int) ue(r, 16, "num_positive_pics");
                for (int k = 0; k < neg + pos; k++) {
                    r.ue();
                    r.skip(1);
                }
                deltaPocs[i] = neg + pos;
            }
        }
        if (r.flag()) {
            long n = ue(r, 32, "num_long_term_ref_pics_sps");
            for (int i = 0; i < n; i++) {
                r.skip(pocLsbBits + 1);
            }
        }
        r.skip(2);
        if (r.flag()) {
            return vuiTiming(r, true, 1);
        }
        return OptionalDouble.empty();
    }
}
