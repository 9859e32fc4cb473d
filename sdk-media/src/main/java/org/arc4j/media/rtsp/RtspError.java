package org.arc4j.media.rtsp;

import java.util.Objects;

/**
 * Something that went wrong in an {@link RtspSession}, reported to {@link RtspListener#error}. Most errors are
 * followed by a reconnection after back-off; the session's state says which. The detail never contains credentials
 * (URIs are shown without their user information).
 *
 * @param kind   what kind
 * @param status the RTSP status code when the error comes from a response, else 0
 * @param detail a short human-readable explanation
 */
public record RtspError(RtspErrorKind kind, int status, String detail) {
    /** Validates presence. */
    public RtspError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
