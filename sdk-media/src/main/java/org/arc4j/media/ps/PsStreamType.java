package org.arc4j.media.ps;

import java.util.Optional;
import org.arc4j.media.video.VideoCodec;

/**
 * The stream_type values a program stream map carries for GB/T 28181 media (ISO/IEC 13818-1 Table 2-34; GB/T 28181
 * Annex C adds the 0x90-range audio types).
 */
public enum PsStreamType {
    /** H.264 video, stream_type 0x1B. */
    H264(0x1B),
    /** H.265 video, stream_type 0x24. */
    H265(0x24),
    /** AAC audio with ADTS framing, stream_type 0x0F. */
    AAC(0x0F),
    /** G.711 A-law, stream_type 0x90 (GB/T 28181 Annex C "G.711"). */
    G711A(0x90),
    /** G.711 µ-law, stream_type 0x91, as devices that distinguish the two laws label it. */
    G711U(0x91);

    private final int code;

    PsStreamType(int code) {
        this.code = code;
    }

    /** @return the stream_type byte */
    public int code() {
        return code;
    }

    /** @return true for H.264 and H.265 */
    public boolean isVideo() {
        return this == H264 || this == H265;
    }

    /** @return the video codec, for H.264 and H.265 */
    public Optional<VideoCodec> videoCodec() {
        return this == H264 ? Optional.of(VideoCodec.H264) : this == H265 ? Optional.of(VideoCodec.H265)
                : Optional.empty();
    }

    /**
     * The type of a stream_type byte.
     *
     * @param code the byte
     * @return the type, or empty when this package does not handle it
     */
    public static Optional<PsStreamType> of(int code) {
        for (PsStreamType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
