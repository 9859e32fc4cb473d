package org.arc4j.examples.center.video;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.arc4j.media.clip.AudioTrack;
import org.arc4j.media.rtsp.MediaDescription;

/**
 * AAC in RTP as RFC 3640 ({@code mpeg4-generic}) carries it, in the AAC-hbr and AAC-lbr modes cameras use: an
 * AU-headers section (§3.2.1, each header an AU-size and an AU-index or AU-index-delta) and then the access units,
 * whole. Fragmented access units and interleaving are not read (the units are left out).
 */
final class Rfc3640 {
    private Rfc3640() {
    }

    /**
     * @param track an SDP media section
     * @return its AAC track (from {@code config=}), or null when it is no AAC in RFC 3640 this reads
     */
    static AudioTrack track(MediaDescription track) {
        if (!"MPEG4-GENERIC".equals(track.encodingName()) || param(track, "sizelength", 16) == 0) {
            return null;
        }
        try {
            return AudioTrack.aac(HexFormat.of().parseHex(track.fmtp().getOrDefault("config", "")));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return an fmtp parameter of a few bits, 0 when absent, not a number or above {@code max} */
    private static int param(MediaDescription track, String name, int max) {
        try {
            int n = Integer.parseInt(track.fmtp().getOrDefault(name, "0").trim());
            return n >= 0 && n <= max ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * @param track   the media section (its {@code sizelength}, {@code indexlength}, {@code indexdeltalength})
     * @param payload an RTP payload
     * @return the whole access units in it, in order; empty for a payload that does not parse
     */
    static List<byte[]> accessUnits(MediaDescription track, byte[] payload) {
        int sizeLength = param(track, "sizelength", 16);
        if (sizeLength == 0 || payload.length < 2) {
            return List.of();
        }
        int headerBits = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        int data = 2 + (headerBits + 7) / 8;
        if (data > payload.length) {
            return List.of();
        }
        List<byte[]> units = new ArrayList<>();
        int bit = 16;
        int end = 16 + headerBits;
        int index = param(track, "indexlength", 8);
        int delta = param(track, "indexdeltalength", 8);
        boolean first = true;
        while (bit + sizeLength + (first ? index : delta) <= end) {
            int size = read(payload, bit, sizeLength);
            bit += sizeLength + (first ? index : delta);
            first = false;
            if (size == 0 || data + size > payload.length) {
                break; // a fragment of a larger unit, or a broken header
            }
            units.add(Arrays.copyOfRange(payload, data, data + size));
            data += size;
        }
        return units;
    }

    private static int read(byte[] b, int bit, int n) {
        int v = 0;
        for (int i = 0; i < n; i++, bit++) {
            v = (v << 1) | ((b[bit >>> 3] >>> (7 - (bit & 7))) & 1);
        }
        return v;
    }
}
