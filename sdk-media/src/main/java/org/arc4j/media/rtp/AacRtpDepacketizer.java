package org.arc4j.media.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AAC out of RTP as RFC 3640 ({@code MPEG4-GENERIC}) carries it in the AAC-hbr and AAC-lbr modes of cameras and
 * GB/T 28181-2022 devices: each payload starts with an AU-headers section (§3.2.1: its length in bits, then per
 * access unit its AU-size and an AU-index or AU-index-delta, as wide as the SDP's {@code sizelength},
 * {@code indexlength} and {@code indexdeltalength} say), followed by the access units. Only whole access units are
 * read: a fragment of a larger one (§3.2.3) and interleaving are left out. {@link #adts} puts the ADTS header
 * (ISO/IEC 13818-7 §6.2) a program stream would carry in front of a unit, so that AAC from RTP and AAC from PS
 * reach a listener alike. Immutable and thread-safe.
 */
public final class AacRtpDepacketizer {
    /** The samples of one AAC access unit, the RTP timestamp step between consecutive units. */
    public static final int SAMPLES_PER_UNIT = 1024;

    private final int clockRate;
    private final int sizeLength;
    private final int indexLength;
    private final int indexDeltaLength;
    private final byte[] config;
    private final int objectType;
    private final int rateIndex;
    private final int channels;

    private AacRtpDepacketizer(int clockRate, int sizeLength, int indexLength, int indexDeltaLength, byte[] config) {
        this.clockRate = clockRate;
        this.sizeLength = sizeLength;
        this.indexLength = indexLength;
        this.indexDeltaLength = indexDeltaLength;
        this.config = config;
        this.objectType = (config[0] & 0xFF) >>> 3;
        this.rateIndex = ((config[0] & 0x07) << 1) | ((config[1] & 0x80) >>> 7);
        this.channels = (config[1] & 0x78) >>> 3;
    }

    /**
     * A depacketiser for an SDP {@code a=rtpmap:<pt> MPEG4-GENERIC/<rate>[/<channels>]} and its {@code a=fmtp}.
     *
     * @param clockRate the rtpmap's clock rate (the sample rate), in Hz
     * @param fmtp      the fmtp parameters, names in any case ({@code config}, {@code sizelength},
     *                  {@code indexlength}, {@code indexdeltalength}; {@code mode} if given must be AAC-hbr or
     *                  AAC-lbr)
     * @return the depacketiser, or null when the parameters are not AAC this class reads (no size length, no
     *         AudioSpecificConfig, an object type or sample rate an ADTS header cannot carry)
     */
    public static AacRtpDepacketizer of(int clockRate, Map<String, String> fmtp) {
        Map<String, String> p = new java.util.HashMap<>();
        fmtp.forEach((k, v) -> p.put(k.strip().toLowerCase(Locale.ROOT), v.strip()));
        String mode = p.getOrDefault("mode", "AAC-hbr");
        if (!mode.equalsIgnoreCase("AAC-hbr") && !mode.equalsIgnoreCase("AAC-lbr")) {
            return null;
        }
        int size = number(p.get("sizelength"), 16);
        int index = number(p.getOrDefault("indexlength", "0"), 8);
        int delta = number(p.getOrDefault("indexdeltalength", "0"), 8);
        byte[] config;
        try {
            config = HexFormat.of().parseHex(p.getOrDefault("config", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (clockRate <= 0 || size <= 0 || index < 0 || delta < 0 || config.length < 2) {
            return null;
        }
        int objectType = (config[0] & 0xFF) >>> 3;
        int rateIndex = ((config[0] & 0x07) << 1) | ((config[1] & 0x80) >>> 7);
        int channels = (config[1] & 0x78) >>> 3;
        // ADTS has two bits of profile (object types 1-4), a rate index and three bits of channel configuration
        if (objectType < 1 || objectType > 4 || rateIndex > 12 || channels < 1 || channels > 7) {
            return null;
        }
        return new AacRtpDepacketizer(clockRate, size, index, delta, config);
    }

    /** @return a parameter of a few bits, or -1 when absent, not a number or above {@code max} */
    private static int number(String v, int max) {
        if (v == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v);
            return n <= max ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** @return the RTP clock rate, the sample rate, in Hz */
    public int clockRate() {
        return clockRate;
    }

    /** @return the AudioSpecificConfig from the SDP's {@code config=} */
    public byte[] config() {
        return config.clone();
    }

    /** @return the channels of the AudioSpecificConfig */
    public int channels() {
        return channels;
    }

    /**
     * The whole access units of one RTP payload.
     *
     * @param payload the payload
     * @return its access units in order, without headers; empty when the payload does not parse or holds only a
     *         fragment
     */
    public List<byte[]> accessUnits(byte[] payload) {
        if (payload.length < 2) {
            return List.of();
        }
        int headerBits = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        int data = 2 + (headerBits + 7) / 8;
        if (data > payload.length) {
            return List.of();
        }
        List<byte[]> units = new ArrayList<>(2);
        int bit = 16;
        int end = 16 + headerBits;
        boolean first = true;
        while (bit + sizeLength + (first ? indexLength : indexDeltaLength) <= end) {
            int size = bits(payload, bit, sizeLength);
            bit += sizeLength + (first ? indexLength : indexDeltaLength);
            first = false;
            if (size == 0 || data + size > payload.length) {
                break; // a fragment of a unit larger than the packet, or a header that lies
            }
            units.add(Arrays.copyOfRange(payload, data, data + size));
            data += size;
        }
        return units;
    }

    /**
     * An access unit behind its ADTS header (seven bytes, no CRC), as a program stream carries AAC.
     *
     * @param unit a raw access unit, at most 8184 bytes
     * @return the ADTS frame
     * @throws IllegalArgumentException if the unit is too long for an ADTS frame
     */
    public byte[] adts(byte[] unit) {
        int length = unit.length + 7;
        if (length > 0x1FFF) {
            throw new IllegalArgumentException("too long for ADTS: " + unit.length);
        }
        byte[] f = new byte[length];
        f[0] = (byte) 0xFF;
        f[1] = (byte) 0xF1; // MPEG-4, layer 0, no CRC
        f[2] = (byte) (((objectType - 1) << 6) | (rateIndex << 2) | (channels >>> 2));
        f[3] = (byte) (((channels & 3) << 6) | (length >>> 11));
        f[4] = (byte) (length >>> 3);
        f[5] = (byte) (((length & 7) << 5) | 0x1F); // buffer fullness 0x7FF: variable rate
        f[6] = (byte) 0xFC;
        System.arraycopy(unit, 0, f, 7, unit.length);
        return f;
    }

    private static int bits(byte[] b, int bit, int n) {
        int v = 0;
        for (int i = 0; i < n; i++, bit++) {
            v = (v << 1) | ((b[bit >>> 3] >>> (7 - (bit & 7))) & 1);
        }
        return v;
    }
}
