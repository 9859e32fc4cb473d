package org.arc4j.core.codes;

/** What the number that follows an event code identifies. */
public enum AddressKind {
    /** A zone (sensor, input, point). */
    ZONE,
    /** A user (keypad code, card, remote). */
    USER,
    /** An area (partition). */
    AREA,
    /** Something else the code defines: a count, a door, a circuit, a module. */
    OTHER,
    /** No address. */
    NONE
}
