package org.arc4j.gb28181.sip;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A SIP response (RFC 3261 §7.2): status code, reason phrase, headers and body. Immutable and thread-safe.
 */
public final class SipResponse implements SipMessage {
    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final String reason;
    private final SipHeaders headers;
    private final byte[] body;

    private SipResponse(int status, String reason, SipHeaders headers, byte[] body, boolean copy) {
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("status must be 100-699: " + status);
        }
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body == null || body.length == 0 ? EMPTY : copy ? body.clone() : body;
    }

    /**
     * A response.
     *
     * @param status  the status code, 100–699
     * @param reason  the reason phrase
     * @param headers the headers
     * @param body    the body (copied), or null
     * @return the response
     */
    public static SipResponse of(int status, String reason, SipHeaders headers, byte[] body) {
        return new SipResponse(status, reason, headers, body, true);
    }

    static SipResponse wrap(int status, String reason, SipHeaders headers, byte[] body) {
        return new SipResponse(status, reason, headers, body, false);
    }

    /**
     * The response a UAS sends to a request (RFC 3261 §8.2.6.2): Via, From, To, Call-ID and CSeq copied,
     * a To tag added when the request's To has none and the status is above 100.
     *
     * @param request the request
     * @param status  the status code
     * @param reason  the reason phrase
     * @param toTag   the tag to add to To when it has none (ignored for 100)
     * @return a builder-like headers builder holding the copied headers, to add more and build
     */
    public static SipHeaders.Builder replyHeaders(SipRequest request, int status, String reason, String toTag) {
        SipHeaders.Builder b = SipHeaders.builder();
        for (String via : request.headers().all("Via")) {
            b.add("Via", via);
        }
        String from = request.headers().get("From");
        if (from != null) {
            b.add("From", from);
        }
        String to = request.headers().get("To");
        if (to != null) {
            NameAddress na = NameAddress.parse(to);
            if (status > 100 && toTag != null && na != null && na.tag() == null) {
                to = to + ";tag=" + toTag;
            }
            b.add("To", to);
        }
        String callId = request.headers().get("Call-ID");
        if (callId != null) {
            b.add("Call-ID", callId);
        }
        String cseq = request.headers().get("CSeq");
        if (cseq != null) {
            b.add("CSeq", cseq);
        }
        return b;
    }

    /**
     * A response to a request with only the copied headers (see {@link #replyHeaders}).
     *
     * @param request the request
     * @param status  the status code
     * @param reason  the reason phrase
     * @param toTag   the To tag to add
     * @return the response
     */
    public static SipResponse replyTo(SipRequest request, int status, String reason, String toTag) {
        return of(status, reason, replyHeaders(request, status, reason, toTag).build(), null);
    }

    /** @return the status code */
    public int status() {
        return status;
    }

    /** @return the reason phrase */
    public String reason() {
        return reason;
    }

    /** @return true for 1xx */
    public boolean isProvisional() {
        return status < 200;
    }

    /**
     * A copy with other headers.
     *
     * @param newHeaders the headers
     * @return the copy
     */
    public SipResponse withHeaders(SipHeaders newHeaders) {
        return new SipResponse(status, reason, newHeaders, body, false);
    }

    @Override
    public SipHeaders headers() {
        return headers;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public int bodyLength() {
        return body.length;
    }

    @Override
    public String bodyText(Charset charset) {
        return new String(body, charset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipResponse r && status == r.status && reason.equals(r.reason)
                && headers.equals(r.headers) && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, headers);
    }

    @Override
    public String toString() {
        return status + " " + reason + " (" + callId() + ", " + header("CSeq") + ")";
    }
}
