package org.arc4j.media.rtsp;

import java.util.Objects;

/** The outcome of {@link SessionDescription#parse}: a description or a typed reason. */
public sealed interface SdpResult permits SdpResult.Valid, SdpResult.Invalid {
    /**
     * A parsed description.
     *
     * @param description the description
     */
    record Valid(SessionDescription description) implements SdpResult {
        /** Validates presence. */
        public Valid {
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * A refused description.
     *
     * @param error  why
     * @param detail the offending line or a short explanation, never credentials
     */
    record Invalid(SdpError error, String detail) implements SdpResult {
        /** Validates presence. */
        public Invalid {
            Objects.requireNonNull(error, "error");
        }
    }
}
