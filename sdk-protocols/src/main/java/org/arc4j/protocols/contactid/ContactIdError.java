package org.arc4j.protocols.contactid;

/**
 * Why a received Contact ID message (SIA DC-05) was not accepted. A receiver stays silent on every one of them
 * (no kissoff), so the panel repeats the message.
 */
public enum ContactIdError {
    /** Nothing was received. */
    EMPTY,
    /** A character is not a digit of the notation read (hex notation or DTMF keys); the position names it. */
    INVALID_CHARACTER,
    /** Fewer than sixteen digits. */
    TOO_SHORT,
    /** More than sixteen digits. */
    TOO_LONG,
    /** The digit values do not add up to a multiple of 15 (DC-05 checksum). */
    BAD_CHECKSUM,
    /** The message type is neither 18 nor 98. */
    UNKNOWN_MESSAGE_TYPE,
    /** The qualifier is not 1, 3 or 6. */
    UNKNOWN_QUALIFIER,
    /** The two rounds of a double-round format (Ademco High Speed / Super Fast without checksum) differ. */
    ROUNDS_DIFFER
}
