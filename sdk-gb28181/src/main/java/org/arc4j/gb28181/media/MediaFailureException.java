package org.arc4j.gb28181.media;

import java.util.Objects;

/** The exception an INVITE's future completes with when the session cannot start; it carries the failure. */
public final class MediaFailureException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The failure; records are serializable only when their components are, so it is not serialized. */
    private final transient MediaFailure failure;

    /**
     * An exception.
     *
     * @param failure what went wrong
     */
    public MediaFailureException(MediaFailure failure) {
        super(Objects.requireNonNull(failure, "failure").toString());
        this.failure = failure;
    }

    /** @return what went wrong */
    public MediaFailure failure() {
        return failure;
    }
}
