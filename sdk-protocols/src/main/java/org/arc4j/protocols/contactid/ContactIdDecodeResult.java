package org.arc4j.protocols.contactid;

import java.util.Objects;

/**
 * What {@link ContactIdDecoder} made of a received message: a {@link Valid} message or an {@link Invalid} one
 * with the reason, so that callers never catch exceptions on the receive path.
 */
public sealed interface ContactIdDecodeResult permits ContactIdDecodeResult.Valid, ContactIdDecodeResult.Invalid {

    /** @return true for {@link Valid} */
    default boolean isValid() {
        return this instanceof Valid;
    }

    /**
     * A well-formed message with a correct checksum.
     *
     * @param message the message
     */
    record Valid(ContactIdMessage message) implements ContactIdDecodeResult {
        /** Validates the message is present. */
        public Valid {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A message that was not accepted.
     *
     * @param error    what was wrong
     * @param position the index of the offending character or field start in {@code input}, or -1 when the
     *                 message as a whole is wrong (length, checksum)
     * @param input    the characters as received
     * @param detail   a human-readable detail
     */
    record Invalid(ContactIdError error, int position, String input, String detail) implements ContactIdDecodeResult {
        /** Validates the parts. */
        public Invalid {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(input, "input");
            detail = detail == null ? "" : detail;
        }
    }
}
