package org.arc4j.gb28181.media;

/**
 * How RTP travels from a device to the platform (GB/T 28181-2016 §9.2, Annex C; RFC 4145 and RFC 4571 for TCP).
 */
public enum MediaTransport {
    /** RTP over UDP: the platform offers a port and the device sends datagrams to it. */
    UDP,
    /**
     * RTP over TCP with RFC 4571 framing, the platform listening ({@code a=setup:passive}): the device connects
     * to the offered port. The default, as it passes the NAT most devices sit behind.
     */
    TCP_PASSIVE,
    /**
     * RTP over TCP with RFC 4571 framing, the platform connecting ({@code a=setup:active}) to the address and port
     * the device's answer gives.
     */
    TCP_ACTIVE
}
