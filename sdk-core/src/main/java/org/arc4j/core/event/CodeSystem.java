package org.arc4j.core.event;

/**
 * Which code table an event's {@link AlarmEvent#code() code} belongs to.
 */
public enum CodeSystem {
    /** Ademco Contact ID (SIA DC-05) three-digit event codes, e.g. {@code 130}. */
    CONTACT_ID,
    /** SIA DC-03 two-letter event codes, e.g. {@code BA}. */
    SIA,
    /** GB/T 28181 alarm method and type, written {@code method/type}, e.g. {@code 5/6}. */
    GB28181,
    /** ONVIF event topics. */
    ONVIF,
    /** arc4j's own codes for events it raises itself (supervision, SLA breaches, communication). */
    ARC4J
}
