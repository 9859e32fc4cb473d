package org.arc4j.gb28181.sip;

import java.nio.charset.Charset;
import java.util.List;

/**
 * A SIP message (RFC 3261 §7): a {@link SipRequest} or a {@link SipResponse}, each immutable.
 *
 * <p>The helpers parse the header they name on every call; callers on hot paths keep the result.
 */
public sealed interface SipMessage permits SipRequest, SipResponse {
    /** @return the header fields */
    SipHeaders headers();

    /** @return a copy of the body bytes, empty when there is none */
    byte[] body();

    /** @return the body length in bytes */
    int bodyLength();

    /**
     * The body decoded with a charset.
     *
     * @param charset the charset
     * @return the text
     */
    String bodyText(Charset charset);

    /**
     * A header's first value.
     *
     * @param name the name, any case or compact form
     * @return the value, or null
     */
    default String header(String name) {
        return headers().get(name);
    }

    /** @return the Call-ID (RFC 3261 §20.8), or null */
    default String callId() {
        return headers().get("Call-ID");
    }

    /**
     * The CSeq (RFC 3261 §20.16).
     *
     * @return the parsed CSeq, or null if absent or malformed
     */
    default CSeq cseq() {
        String v = headers().get("CSeq");
        return v == null ? null : CSeq.parse(v);
    }

    /**
     * The Via header values, topmost first (RFC 3261 §20.42), parsed.
     *
     * @return the Vias; malformed values are skipped
     */
    default List<Via> vias() {
        return headers().values("Via").stream().map(Via::parse).filter(v -> v != null).toList();
    }

    /** @return the topmost Via, or null */
    default Via topVia() {
        String v = headers().firstValue("Via");
        return v == null ? null : Via.parse(v);
    }

    /** @return the From header parsed (RFC 3261 §20.20), or null */
    default NameAddress from() {
        String v = headers().get("From");
        return v == null ? null : NameAddress.parse(v);
    }

    /** @return the To header parsed (RFC 3261 §20.39), or null */
    default NameAddress to() {
        String v = headers().get("To");
        return v == null ? null : NameAddress.parse(v);
    }

    /** @return the Content-Type value, or null */
    default String contentType() {
        return headers().get("Content-Type");
    }
}
