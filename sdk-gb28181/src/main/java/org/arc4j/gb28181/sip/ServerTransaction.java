package org.arc4j.gb28181.sip;

import java.util.Set;

/**
 * A server transaction (RFC 3261 §17.2) as the transaction user sees it: the request, where it came from, and
 * the one way to answer. The stack absorbs retransmissions of the request by resending the last response and
 * runs timers G, H, I (INVITE) and J (non-INVITE) on the core scheduler.
 *
 * <p>Thread-safe: {@link #respond} may be called from any thread, e.g. when an intake receipt completes. A
 * second final response is ignored.
 */
public interface ServerTransaction {
    /** @return the request, with {@code received}/{@code rport} set on its top Via (RFC 3261 §18.2.1, RFC 3581) */
    SipRequest request();

    /** @return the transport and address the request came from */
    SipPeer source();

    /** @return the deviations the parser tolerated in the request */
    Set<SipTolerance> tolerances();

    /**
     * Sends a response, routed by the Via rules (RFC 3261 §18.2.2, RFC 3581 §4): on the connection the request
     * came on for TCP, else to {@code received}:{@code rport}.
     *
     * @param response the response; its Via, From, To, Call-ID and CSeq should come from
     *                 {@link SipResponse#replyHeaders}
     * @return true if it was sent, false if a final response had already been sent
     */
    boolean respond(SipResponse response);

    /** @return true once a final response was sent */
    boolean isAnswered();
}
