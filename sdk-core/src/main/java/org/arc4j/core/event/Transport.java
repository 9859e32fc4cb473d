package org.arc4j.core.event;

/**
 * How an event reached the centre, as GA 1383-2017 distinguishes transports for its response and
 * forwarding limits (4 s over IP, 20 s over PSTN, 5 s over wireless of GPRS or faster).
 *
 * <p>A frame cannot tell a wired from a GPRS connection, so the transport comes from the configuration of
 * the account or of the port that received it.
 */
public enum Transport {
    /** Wired IP networks (Ethernet, fibre, broadband). */
    IP,
    /** The public switched telephone network, including its VoIP gateways. */
    PSTN,
    /** Wireless data networks of GPRS speed or faster (2G data, 3G, 4G, 5G). */
    WIRELESS,
    /** A hardware receiver or other local equipment on a serial line; the transport before it is unknown. */
    SERIAL,
    /** Not known. SLA timers treat it as the slowest transport the account allows. */
    UNKNOWN
}
