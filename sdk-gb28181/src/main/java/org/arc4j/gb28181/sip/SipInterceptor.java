package org.arc4j.gb28181.sip;

/**
 * A hook on every SIP message a {@link SipStack} sends and receives, for a security layer such as GB 35114 (signing,
 * body encryption) to plug in without the stack knowing it. Outbound messages pass through {@link #outbound} after
 * the stack has added its Via and before encoding (retransmissions reuse the result); inbound messages pass through
 * {@link #inbound} after parsing and before transaction matching. An interceptor must leave Via, Call-ID, CSeq, From
 * and To tags alone: the transaction layer matches on them.
 *
 * <p>Called on network and timer threads, concurrently: implementations are thread-safe and must not block.
 */
public interface SipInterceptor {
    /** The interceptor that changes nothing. */
    SipInterceptor NONE = new SipInterceptor() {
    };

    /**
     * A message about to be sent.
     *
     * @param message the message
     * @param to      where it goes
     * @return what goes on the wire
     */
    default SipMessage outbound(SipMessage message, SipPeer to) {
        return message;
    }

    /**
     * A message received.
     *
     * @param message the parsed message
     * @param from    where it came from
     * @return what the stack handles, or null to drop it (a signature that does not verify); a dropped request
     *         gets no answer
     */
    default SipMessage inbound(SipMessage message, SipPeer from) {
        return message;
    }
}
