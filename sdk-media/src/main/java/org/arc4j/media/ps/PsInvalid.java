package org.arc4j.media.ps;

import java.util.Objects;

/**
 * Something the demuxer refused or tolerated; it carries on.
 *
 * @param error  what
 * @param offset where in the stream, counted in bytes from the first byte fed
 * @param detail a human-readable detail
 */
public record PsInvalid(PsError error, long offset, String detail) {
    /** Validates the error is present. */
    public PsInvalid {
        Objects.requireNonNull(error, "error");
    }
}
