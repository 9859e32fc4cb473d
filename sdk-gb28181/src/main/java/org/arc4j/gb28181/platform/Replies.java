package org.arc4j.gb28181.platform;

import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipUri;

/** Small SIP helpers the platform's parts share. Stateless. */
final class Replies {
    private Replies() {
    }

    /** Answers a request with a status and no body. */
    static void reply(ServerTransaction tx, int status, String reason) {
        tx.respond(SipResponse.replyTo(tx.request(), status, reason, null));
    }

    /** @return the user part of a SIP name-address (a GB/T 28181 device ID), or null */
    static String user(NameAddress na) {
        if (na == null) {
            return null;
        }
        SipUri u = na.sipUri();
        return u == null ? null : u.user();
    }
}
