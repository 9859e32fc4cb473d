package org.arc4j.media.clip;

import java.util.Objects;

/**
 * The audio of a clip or live stream: codec, sample rate, channels and, for AAC, the AudioSpecificConfig
 * (ISO/IEC 14496-3 §1.6.2.1) that goes into the {@code esds}. Immutable.
 *
 * @param codec      the codec
 * @param sampleRate samples per second (8,000 for G.711)
 * @param channels   1 or 2
 * @param aacConfig  the AudioSpecificConfig for AAC, empty for G.711 (not copied: do not change it)
 */
public record AudioTrack(AudioCodec codec, int sampleRate, int channels, byte[] aacConfig) {
    private static final int[] AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350};

    /** Validates the parts. */
    public AudioTrack {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(aacConfig, "aacConfig");
        if (sampleRate < 1 || sampleRate > 192_000 || channels < 1 || channels > 8) {
            throw new IllegalArgumentException("bad rate or channels: " + sampleRate + ", " + channels);
        }
        if (codec == AudioCodec.AAC && aacConfig.length < 2) {
            throw new IllegalArgumentException("AAC needs its AudioSpecificConfig");
        }
    }

    /** @return G.711 A-law, 8 kHz mono (GB/T 28181 and RTP payload type 8) */
    public static AudioTrack g711a() {
        return new AudioTrack(AudioCodec.G711A, 8000, 1, new byte[0]);
    }

    /** @return G.711 μ-law, 8 kHz mono (RTP payload type 0) */
    public static AudioTrack g711u() {
        return new AudioTrack(AudioCodec.G711U, 8000, 1, new byte[0]);
    }

    /**
     * AAC described by an ADTS header (ISO/IEC 14496-3 §1.A.2.2), as a GB/T 28181 program stream carries it.
     *
     * @param adtsFrame a frame starting with its ADTS header
     * @return the track, or null when the bytes are not an ADTS header
     */
    public static AudioTrack aacFromAdts(byte[] adtsFrame) {
        if (adtsHeaderLength(adtsFrame) == 0) {
            return null;
        }
        int objectType = ((adtsFrame[2] & 0xC0) >>> 6) + 1;
        int rateIndex = (adtsFrame[2] & 0x3C) >>> 2;
        int channels = ((adtsFrame[2] & 0x01) << 2) | ((adtsFrame[3] & 0xC0) >>> 6);
        if (rateIndex >= AAC_RATES.length || channels == 0) {
            return null;
        }
        byte[] asc = {(byte) ((objectType << 3) | (rateIndex >>> 1)), (byte) (((rateIndex & 1) << 7) | (channels << 3))};
        return new AudioTrack(AudioCodec.AAC, AAC_RATES[rateIndex], channels, asc);
    }

    /**
     * AAC from an AudioSpecificConfig, e.g. RFC 3640's {@code config=} in SDP (hex-decoded).
     *
     * @param asc the AudioSpecificConfig
     * @return the track, or null when the config is not one this reads (an explicit rate, or a channel configuration of 0)
     */
    public static AudioTrack aac(byte[] asc) {
        if (asc.length < 2) {
            return null;
        }
        int rateIndex = ((asc[0] & 0x07) << 1) | ((asc[1] & 0x80) >>> 7);
        int channels = (asc[1] & 0x78) >>> 3;
        if (rateIndex >= AAC_RATES.length || channels == 0 || channels > 7) {
            return null;
        }
        return new AudioTrack(AudioCodec.AAC, AAC_RATES[rateIndex], channels == 7 ? 8 : channels, asc.clone());
    }

    /**
     * @param frame an audio frame
     * @return the length of its ADTS header (7, or 9 with a CRC), or 0 when it has none
     */
    public static int adtsHeaderLength(byte[] frame) {
        if (frame.length < 7 || (frame[0] & 0xFF) != 0xFF || (frame[1] & 0xF6) != 0xF0) {
            return 0;
        }
        return (frame[1] & 0x01) == 0 ? 9 : 7;
    }

    /**
     * The samples (per channel) in one frame of this track.
     *
     * @param payloadLength the frame's length without any ADTS header
     * @return 1024 for AAC, the byte count divided by the channels for G.711
     */
    public int samplesIn(int payloadLength) {
        return codec == AudioCodec.AAC ? 1024 : payloadLength / channels;
    }
}
