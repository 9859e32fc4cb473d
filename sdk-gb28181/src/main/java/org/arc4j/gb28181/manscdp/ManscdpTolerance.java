package org.arc4j.gb28181.manscdp;

/** What the MANSCDP decoder accepted although the standard does not allow it; reported per document. */
public enum ManscdpTolerance {
    /** The body declared a GB encoding but is valid UTF-8 with non-ASCII text, so it was read as UTF-8. */
    CHARSET_MISMATCH,
    /** Text already destroyed upstream ({@code 锟斤拷}, U+FFFD): kept as received. */
    GARBLED_TEXT,
    /** Character data between elements (e.g. a stray {@code />}), ignored. */
    STRAY_TEXT,
    /** CmdType missing; inferred from the content (an alarm Notify from its AlarmMethod). */
    CMDTYPE_INFERRED,
    /** SN missing in a Notify. */
    SN_MISSING
}
