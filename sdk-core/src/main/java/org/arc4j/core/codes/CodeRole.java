package org.arc4j.core.codes;

/**
 * What a code means to the parts of arc4j that act on a few codes specially, kept in the tables' {@code role}
 * column so that no other class lists codes of its own: the arming state of a site (GA 1383 布撤防) and the
 * low-battery count of the statistics.
 */
public enum CodeRole {
    /** Nothing special. */
    NONE,
    /** A closing: an area or group is armed (布防). In Contact ID, any open/close code with qualifier 3. */
    CLOSING,
    /** An opening: an area is disarmed (撤防). In Contact ID, any open/close code with qualifier 1. */
    OPENING,
    /** A battery-low trouble (GA 1383 statistics: 低电压). */
    LOW_BATTERY
}
