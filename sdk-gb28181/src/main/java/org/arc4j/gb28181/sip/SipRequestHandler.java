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

    /**
     * A TCP connection closed (either side). A transaction user that trusts a connection because a request on
     * it authenticated (GB/T 28181 devices over TCP) must stop trusting that address here. Called on a network
     * thread; must not block.
     *
     * @param peer the remote end of the closed connection
     */
    default void onConnectionClosed(SipPeer peer) {
    }
}
