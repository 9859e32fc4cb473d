package org.arc4j.media.video;

/**
 * The video codecs whose access units this package handles, with what their NAL unit headers say (H.264
 * §7.3.1 and Table 7-1; H.265 §7.3.1.2 and Table 7-1).
 */
public enum VideoCodec {
    /** H.264 / AVC: a one-byte NAL header, type in the low five bits. */
    H264,
    /** H.265 / HEVC: a two-byte NAL header, type in bits 1..6 of the first byte. */
    H265;

    /**
     * The NAL unit type.
     *
     * @param nal a NAL unit starting with its header (at least one byte for H.264, two for H.265)
     * @return its type, or -1 when too short
     */
    public int nalType(byte[] nal) {
        if (this == H264) {
            return nal.length < 1 ? -1 : nal[0] & 0x1F;
        }
        return nal.length < 2 ? -1 : (nal[0] >> 1) & 0x3F;
    }

    /** @return the NAL header length, 1 or 2 bytes */
    public int headerLength() {
        return this == H264 ? 1 : 2;
    }

    /**
     * Whether a NAL type starts a picture a decoder can begin at: an IDR picture (H.264 type 5) or an IRAP picture
     * (H.265 types 16..23: BLA, IDR, CRA).
     *
     * @param type the NAL type
     * @return true for a key picture
     */
    public boolean isKey(int type) {
        return this == H264 ? type == 5 : type >= 16 && type <= 23;
    }

    /**
     * Whether a NAL type is coded picture data (H.264 types 1..5; H.265 types 0..31).
     *
     * @param type the NAL type
     * @return true for a VCL NAL unit
     */
    public boolean isVcl(int type) {
        return this == H264 ? type >= 1 && type <= 5 : type >= 0 && type <= 31;
    }

    /**
     * Whether a NAL type is a parameter set (H.264 SPS 7, PPS 8; H.265 VPS 32, SPS 33, PPS 34).
     *
     * @param type the NAL type
     * @return true for a parameter set
     */
    public boolean isParameterSet(int type) {
        return this == H264 ? type == 7 || type == 8 : type >= 32 && type <= 34;
    }

    /** @return the SPS NAL type: 7 for H.264, 33 for H.265 */
    public int spsType() {
        return this == H264 ? 7 : 33;
    }
}
