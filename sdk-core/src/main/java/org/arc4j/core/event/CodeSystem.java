package org.arc4j.core.event;

/**
 * Which code table an event's {@link AlarmEvent#code() code} belongs to.
 */
public enum CodeSystem {
    /** Ademco Contact ID (SIA DC-05) three-digit event codes, e.g. {@code 130}. */
    CONTACT_ID,
    /** SIA DC-03 two-letter event codes, e.g. {@code BA}. */
    SIA,
    /**
     * Ademco Express (4+1, 4+2) and High Speed report codes. Their meanings are programmed per installation,
     * so arc4j keeps the raw code ({@code E} or {@code EE}; {@code status/channel} for High Speed) and
     * classifies only what the format itself says.
     */
    ADEMCO_LEGACY,
    /** GB/T 28181 alarm method and type, written {@code method/type}, e.g. {@code 5/6}. */
    GB28181,
    /** ONVIF event topics. */
    ONVIF,
    /** arc4j's own codes for events it raises itself (supervision, SLA breaches, communication). */
    ARC4J
}
