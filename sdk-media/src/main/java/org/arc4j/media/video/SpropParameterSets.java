package org.arc4j.media.video;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Parameter sets given in SDP: H.264 {@code sprop-parameter-sets} (RFC 6184 §8.1: base64 NAL units separated by
 * commas) and H.265 {@code sprop-vps}, {@code sprop-sps}, {@code sprop-pps} (RFC 7798 §7.1, the same form).
 * Stateless and thread-safe.
 */
public final class SpropParameterSets {
    private SpropParameterSets() {
    }

    /**
     * The NAL units of one parameter's value. Entries that are not valid base64, or empty, are left out rather than
     * failing the stream: the same parameter sets usually come again in-band.
     *
     * @param value the value after {@code sprop-…=}, e.g. {@code Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==}
     * @return the NAL units, in order
     */
    public static List<byte[]> decode(String value) {
        List<byte[]> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                byte[] nal = Base64.getDecoder().decode(s.getBytes(StandardCharsets.US_ASCII));
                if (nal.length > 0) {
                    out.add(nal);
                }
            } catch (IllegalArgumentException notBase64) {
                // left out, as documented
            }
        }
        return out;
    }

    /**
     * The parameter sets of an H.265 stream from its three SDP parameters, in the order VPS, SPS, PPS.
     *
     * @param vps {@code sprop-vps}, or null
     * @param sps {@code sprop-sps}, or null
     * @param pps {@code sprop-pps}, or null
     * @return the NAL units
     */
    public static List<byte[]> decodeH265(String vps, String sps, String pps) {
        List<byte[]> out = new ArrayList<>(decode(vps));
        out.addAll(decode(sps));
        out.addAll(decode(pps));
        return out;
    }
}
