package org.arc4j.gb28181.sip;

/**
 * The transaction user of a {@link SipStack}: receives each new request (not its retransmissions) once.
 *
 * <p>Called on a Netty event loop: must not block; answer later through the transaction if the answer needs
 * slow work (an intake receipt, a disk write).
 */
@FunctionalInterface
public interface SipRequestHandler {
    /**
     * A new request.
     *
     * @param transaction its server transaction, to answer through
     */
    void onRequest(ServerTransaction transaction);

    /**
     * An ACK for a 2xx (which is outside any transaction, RFC 3261 §17.1.1.3). Ignored by default.
     *
     * @param ack    the ACK
     * @param source where it came from
     */
    default void onAck(SipRequest ack, SipPeer source) {
    }
}
