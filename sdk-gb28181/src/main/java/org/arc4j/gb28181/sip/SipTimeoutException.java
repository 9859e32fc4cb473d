package org.arc4j.gb28181.sip;

/**
 * A client transaction got no final response before timer B (INVITE) or F (non-INVITE) fired
 * (RFC 3261 §17.1.1.2, §17.1.2.2): the peer is unreachable or silent. Completes the request's stage.
 */
public final class SipTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what timed out
     */
    public SipTimeoutException(String message) {
        super(message, null, false, false);
    }
}
