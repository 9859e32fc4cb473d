package org.arc4j.core.codes;

/** How a code relates to others in its table. */
public enum CodeKind {
    /** An alarm, trouble or other abnormal condition that has a restore code. */
    ALARM,
    /** The restore of an {@link #ALARM} code. */
    RESTORE,
    /** Neither: openings and closings, tests, log entries. Open/close pairs are linked as opposites. */
    EVENT
}
