package org.arc4j.media.video;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a sequence parameter set says about the picture (H.264 §7.3.2.1.1 and Annex E; H.265 §7.3.2.2 and
 * Annex E). Immutable.
 *
 * @param codec        the codec
 * @param profile      profile_idc (H.264) or general_profile_idc (H.265)
 * @param level        level_idc or general_level_idc (e.g. 40 is level 4.0 for H.264; 120 is 4.0 for H.265)
 * @param chromaFormat chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param width        displayed width in pixels, after the cropping (conformance) window
 * @param height       displayed height in pixels, after cropping
 * @param frameRate    frames per second from the VUI timing information, when the stream gives it (H.264:
 *                     time_scale / (2 × num_units_in_tick); H.265: time_scale / num_units_in_tick)
 */
public record Sps(VideoCodec codec, int profile, int level, int chromaFormat, int width, int height,
                  OptionalDouble frameRate) {
    /** Validates presence. */
    public Sps {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(frameRate, "frameRate");
    }
}
