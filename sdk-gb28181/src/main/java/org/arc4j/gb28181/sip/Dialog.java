package org.arc4j.gb28181.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A SIP dialog (RFC 3261 §12) created by INVITE or SUBSCRIBE (RFC 6665 §4.1.2): Call-ID, local and remote
 * tags, remote target and route set, and the local CSeq that in-dialog requests increment.
 *
 * <p>Thread-safe: the CSeq is taken under this object's lock; the rest is immutable.
 */
public final class Dialog {
    private final String callId;
    private final String localTag;
    private final String remoteTag;
    private final String localUri;
    private final String remoteUri;
    private final String remoteTarget;
    private final List<String> routeSet;
    private final SipPeer peer;
    private long localSeq;

    private Dialog(String callId, String localTag, String remoteTag, String localUri, String remoteUri,
                   String remoteTarget, List<String> routeSet, SipPeer peer, long localSeq) {
        this.callId = Objects.requireNonNull(callId, "callId");
        this.localTag = Objects.requireNonNull(localTag, "localTag");
        this.remoteTag = remoteTag;
        this.localUri = localUri;
        this.remoteUri = remoteUri;
        this.remoteTarget = remoteTarget;
        this.routeSet = Collections.unmodifiableList(new ArrayList<>(routeSet));
        this.peer = Objects.requireNonNull(peer, "peer");
        this.localSeq = localSeq;
    }

    /**
     * The dialog a UAC holds after a 2xx to its INVITE or SUBSCRIBE (RFC 3261 §12.1.2): route set from
     * Record-Route in reverse, remote target from Contact.
     *
     * @param request  the request sent
     * @param response its 2xx
     * @param peer     where the remote party is reached
     * @return the dialog, or null when the response lacks a To tag
     */
    public static Dialog asClient(SipRequest request, SipResponse response, SipPeer peer) {
        NameAddress from = request.from();
        NameAddress to = response.to();
        if (from == null || from.tag() == null || to == null || to.tag() == null) {
            return null;
        }
        List<String> routes = new ArrayList<>(response.headers().values("Record-Route"));
        Collections.reverse(routes);
        String contact = response.header("Contact");
        NameAddress c = contact == null ? null : NameAddress.parse(contact);
        String target = c != null ? c.uri() : request.uri();
        return new Dialog(request.callId(), from.tag(), to.tag(), from.uri(), to.uri(), target, routes, peer,
                request.cseq().number());
    }

    /**
     * The dialog a UAS holds after answering a dialog-creating request with 2xx (RFC 3261 §12.1.1).
     *
     * @param request  the received request
     * @param localTag the To tag of our 2xx
     * @param peer     where the remote party is reached
     * @return the dialog
     */
    public static Dialog asServer(SipRequest request, String localTag, SipPeer peer) {
        NameAddress from = request.from();
        NameAddress to = request.to();
        String contact = request.header("Contact");
        NameAddress c = contact == null ? null : NameAddress.parse(contact);
        return new Dialog(request.callId(), localTag, from == null ? null : from.tag(), to == null ? "" : to.uri(),
                from == null ? "" : from.uri(), c != null ? c.uri() : from == null ? request.uri() : from.uri(),
                request.headers().values("Record-Route"), peer, 0);
    }

    /** @return the Call-ID */
    public String callId() {
        return callId;
    }

    /** @return our tag */
    public String localTag() {
        return localTag;
    }

    /** @return the remote party's tag */
    public String remoteTag() {
        return remoteTag;
    }

    /** @return the remote target URI (from Contact) */
    public String remoteTarget() {
        return remoteTarget;
    }

    /** @return where the remote party is reached */
    public SipPeer peer() {
        return peer;
    }

    /**
     * Whether a received request belongs to this dialog (RFC 3261 §12.2.2): same Call-ID, its To tag is our
     * tag and its From tag the remote tag.
     *
     * @param request the request
     * @return true if it is in this dialog
     */
    public boolean matches(SipRequest request) {
        NameAddress from = request.from();
        NameAddress to = request.to();
        return callId.equals(request.callId()) && to != null && localTag.equals(to.tag()) && from != null
                && Objects.equals(remoteTag, from.tag());
    }

    /**
     * A new in-dialog request (RFC 3261 §12.2.1.1) with the next CSeq.
     *
     * @param method      the method
     * @param extra       headers to add (Event, Expires, Content-Type…), or null
     * @param body        the body, or null
     * @return the request, without Via (the stack adds it)
     */
    public SipRequest newRequest(String method, SipHeaders extra, byte[] body) {
        long seq;
        synchronized (this) {
            seq = ++localSeq;
        }
        return build(method, seq, extra, body);
    }

    /**
     * The ACK for a 2xx to an INVITE of this dialog (RFC 3261 §13.2.2.4): same CSeq number as the INVITE.
     *
     * @param inviteSeq the INVITE's CSeq number
     * @return the ACK, without Via
     */
    public SipRequest ack(long inviteSeq) {
        return build(SipRequest.ACK, inviteSeq, null, null);
    }

    private SipRequest build(String method, long seq, SipHeaders extra, byte[] body) {
        SipHeaders.Builder b = SipHeaders.builder();
        b.add("From", "<" + localUri + ">;tag=" + localTag);
        b.add("To", "<" + remoteUri + ">" + (remoteTag == null ? "" : ";tag=" + remoteTag));
        b.add("Call-ID", callId);
        b.add("CSeq", seq + " " + method);
        for (String r : routeSet) {
            b.add("Route", r);
        }
        b.add("Max-Forwards", "70");
        if (extra != null) {
            for (SipHeaders.Field f : extra) {
                b.add(f.name(), f.value());
            }
        }
        return SipRequest.of(method, remoteTarget, b.build(), body);
    }
}
