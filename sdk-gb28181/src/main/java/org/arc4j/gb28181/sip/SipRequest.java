package org.arc4j.gb28181.sip;

import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A SIP request (RFC 3261 §7.1): method, Request-URI, headers and body. Immutable and thread-safe.
 *
 * @see SipParser
 * @see SipEncoder
 */
public final class SipRequest implements SipMessage {
    /** RFC 3261 method names used by GB/T 28181. */
    public static final String REGISTER = "REGISTER";
    /** The MESSAGE method (RFC 3428), carrier of MANSCDP. */
    public static final String MESSAGE = "MESSAGE";
    /** INVITE (RFC 3261). */
    public static final String INVITE = "INVITE";
    /** ACK (RFC 3261). */
    public static final String ACK = "ACK";
    /** BYE (RFC 3261). */
    public static final String BYE = "BYE";
    /** CANCEL (RFC 3261). */
    public static final String CANCEL = "CANCEL";
    /** SUBSCRIBE (RFC 6665). */
    public static final String SUBSCRIBE = "SUBSCRIBE";
    /** NOTIFY (RFC 6665). */
    public static final String NOTIFY = "NOTIFY";
    /** INFO (RFC 6086), carrier of MANSRTSP. */
    public static final String INFO = "INFO";
    /** OPTIONS (RFC 3261). */
    public static final String OPTIONS = "OPTIONS";

    private static final byte[] EMPTY = new byte[0];

    private final String method;
    private final String uri;
    private final SipHeaders headers;
    private final byte[] body;

    private SipRequest(String method, String uri, SipHeaders headers, byte[] body, boolean copy) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body == null || body.length == 0 ? EMPTY : copy ? body.clone() : body;
    }

    /**
     * A request.
     *
     * @param method  the method, e.g. {@link #REGISTER}
     * @param uri     the Request-URI as text
     * @param headers the headers (Content-Length is recomputed on encoding)
     * @param body    the body (copied), or null
     * @return the request
     */
    public static SipRequest of(String method, String uri, SipHeaders headers, byte[] body) {
        return new SipRequest(method, uri, headers, body, true);
    }

    static SipRequest wrap(String method, String uri, SipHeaders headers, byte[] body) {
        return new SipRequest(method, uri, headers, body, false);
    }

    /** @return the method, as received (methods are case-sensitive, RFC 3261 §7.1) */
    public String method() {
        return method;
    }

    /** @return the Request-URI text */
    public String uri() {
        return uri;
    }

    /**
     * A copy with other headers.
     *
     * @param newHeaders the headers
     * @return the copy
     */
    public SipRequest withHeaders(SipHeaders newHeaders) {
        return new SipRequest(method, uri, newHeaders, body, false);
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
        return o instanceof SipRequest r && method.equals(r.method) && uri.equals(r.uri)
                && headers.equals(r.headers) && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, uri, headers);
    }

    @Override
    public String toString() {
        return method + " " + uri + " (" + callId() + ", " + body.length + " body bytes)";
    }
}
