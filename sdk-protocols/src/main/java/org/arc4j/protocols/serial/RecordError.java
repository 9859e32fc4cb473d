package org.arc4j.protocols.serial;

/** Why a hardware receiver record was not understood; the automation side answers NAK to every one of them. */
public enum RecordError {
    /** A terminator with nothing before it. */
    EMPTY,
    /** More bytes than any record has before its terminator. */
    TOO_LONG,
    /** The protocol identifier (first character) is not one arc4j reads. */
    UNKNOWN_TYPE,
    /** The record is not as long as its type requires. */
    BAD_LENGTH,
    /** A fixed character (space, {@code 18}, {@code @}) is not where the layout has it. */
    BAD_LAYOUT,
    /** The qualifier is not {@code E}, {@code R} or {@code P}. */
    BAD_QUALIFIER,
    /** A field holds characters its layout does not allow. */
    BAD_FIELD
}
