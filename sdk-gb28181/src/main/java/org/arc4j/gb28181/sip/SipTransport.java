package org.arc4j.gb28181.sip;

/** The transports GB/T 28181 uses for SIP (RFC 3261 §18): UDP, the common one, and TCP. */
public enum SipTransport {
    /** UDP: one message per datagram, retransmission timers A, E, G run (RFC 3261 §17). */
    UDP,
    /** TCP: a stream framed by Content-Length; reliable, so retransmission timers do not run. */
    TCP;

    /** @return true for TCP */
    public boolean isReliable() {
        return this == TCP;
    }
}
