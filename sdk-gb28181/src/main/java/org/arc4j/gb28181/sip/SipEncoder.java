package org.arc4j.gb28181.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes SIP messages (RFC 3261 §7) as bytes: start line, header lines with CRLF, a Content-Length computed
 * from the body (any Content-Length header given is replaced, so framing on TCP is always right), an empty
 * line and the body. Header text is written as UTF-8 (RFC 3261 §7.3.1); CR and LF inside a reason phrase or a
 * header value (say, a parser's error text echoed in a 400) are written as spaces.
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}.
 */
public final class SipEncoder {
    /** The encoder. */
    public static final SipEncoder INSTANCE = new SipEncoder();

    private SipEncoder() {
    }

    /**
     * Encodes a message.
     *
     * @param message the message
     * @return its bytes
     */
    public byte[] encode(SipMessage message) {
        byte[] body;
        StringBuilder sb = new StringBuilder(256 + message.headers().size() * 48);
        if (message instanceof SipRequest r) {
            sb.append(r.method()).append(' ').append(r.uri()).append(" SIP/2.0\r\n");
            body = r.bodyUnsafe();
        } else {
            SipResponse r = (SipResponse) message;
            sb.append("SIP/2.0 ").append(r.status()).append(' ').append(oneLine(r.reason())).append("\r\n");
            body = r.bodyUnsafe();
        }
        SipHeaders h = message.headers();
        for (int i = 0; i < h.size(); i++) {
            if (h.name(i).equals("Content-Length")) {
                continue;
            }
            sb.append(h.name(i)).append(": ").append(oneLine(h.value(i))).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head = ascii(sb) ? latin1(sb) : sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            return head;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
        out.writeBytes(head);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A reason phrase or header value never breaks the framing, whatever text it was built from. */
    private static String oneLine(String s) {
        if (s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return s.replace('\r', ' ').replace('\n', ' ');
    }

    private static boolean ascii(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static byte[] latin1(CharSequence s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) s.charAt(i);
        }
        return out;
    }
}
