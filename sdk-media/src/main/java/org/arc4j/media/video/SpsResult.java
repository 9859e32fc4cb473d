package org.arc4j.media.video;

import java.util.Objects;

/** What {@link SpsParser} made of a NAL unit. */
public sealed interface SpsResult permits SpsResult.Valid, SpsResult.Invalid {
    /**
     * A parsed SPS.
     *
     * @param sps the fields
     */
    record Valid(Sps sps) implements SpsResult {
        /** Validates presence. */
        public Valid {
            Objects.requireNonNull(sps, "sps");
        }
    }

    /**
     * Not a usable SPS.
     *
     * @param error  {@link VideoError#SPS_TRUNCATED}, {@link VideoError#SPS_BAD_VALUE} or
     *               {@link VideoError#BAD_NAL_HEADER}
     * @param detail a human-readable detail
     */
    record Invalid(VideoError error, String detail) implements SpsResult {
        /** Validates presence. */
        public Invalid {
            Objects.requireNonNull(error, "error");
        }
    }
}
