package org.arc4j.media.clip;

/**
 * The audio codecs of cameras and GB/T 28181 devices that arc4j puts into MP4, and whether a browser's Media Source
 * Extensions can play them.
 */
public enum AudioCodec {
    /**
     * G.711 A-law (ITU-T G.711), 8 kHz: in MP4 as QuickTime's {@code alaw} sample entry, because ISO BMFF defines
     * none for G.711; ffmpeg, ffprobe and VLC read it, browsers do not play it.
     */
    G711A,
    /** G.711 μ-law, 8 kHz: QuickTime's {@code ulaw} sample entry, as for {@link #G711A}. */
    G711U,
    /** AAC (ISO/IEC 14496-3) in {@code mp4a} with an {@code esds} (ISO/IEC 14496-14): players and browsers alike. */
    AAC;

    /** @return true when a browser's Media Source Extensions play it in fragmented MP4 (AAC only) */
    public boolean browserPlayable() {
        return this == AAC;
    }
}
