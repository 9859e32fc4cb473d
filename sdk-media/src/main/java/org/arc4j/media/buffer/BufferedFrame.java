package org.arc4j.media.buffer;

import java.time.Instant;
import java.util.Objects;

/**
 * One frame in a pre-alarm buffer: a video access unit, an audio frame or a picture, with the wall-clock time it
 * shows (from RTCP sender reports, or the arrival time) and whether a decoder can start at it. Immutable; the
 * bytes are not copied and must not change.
 *
 * @param at    the wall-clock time of the frame
 * @param key   true for a frame a decoder can start at (an IDR/IRAP access unit; every audio frame and picture)
 * @param bytes the frame: Annex-B access unit, audio payload or JPEG
 */
public record BufferedFrame(Instant at, boolean key, byte[] bytes) {
    /** Validates the parts. */
    public BufferedFrame {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(bytes, "bytes");
    }
}
