package org.arc4j.core.security.digest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Digest credentials, the value of {@code Authorization} (RFC 2617 §3.2.2, RFC 7616 §3.4). Both forms are
 * read: RFC 2069 (no {@code qop}, {@code nc}, {@code cnonce}) and RFC 2617 {@code qop=auth}. Immutable.
 *
 * @param username  the user name
 * @param realm     the realm
 * @param nonce     the server nonce it answers
 * @param uri       the digest-uri
 * @param response  the response hash, hex
 * @param algorithm the algorithm token as sent, or null (MD5)
 * @param cnonce    the client nonce, or null
 * @param nc        the nonce count as sent (8 hex digits), or null
 * @param qop       the quality of protection chosen, or null
 * @param opaque    the echoed opaque, or null
 */
public record DigestCredentials(String username, String realm, String nonce, String uri, String response,
                                String algorithm, String cnonce, String nc, String qop, String opaque) {

    /**
     * Parses an {@code Authorization} value.
     *
     * @param value the header value
     * @return the credentials, or null when it is not a digest or lacks username, realm, nonce, uri or
     *         response
     */
    public static DigestCredentials parse(String value) {
        Map<String, String> p = authParams(value);
        if (p == null) {
            return null;
        }
        String username = p.get("username");
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        if (username == null || realm == null || nonce == null || uri == null || response == null) {
            return null;
        }
        return new DigestCredentials(username, realm, nonce, uri, response, p.get("algorithm"), p.get("cnonce"),
                p.get("nc"), p.get("qop"), p.get("opaque"));
    }

    /** @return the algorithm, MD5 when absent, null when unknown */
    public DigestAlgorithm digestAlgorithm() {
        return DigestAlgorithm.ofToken(algorithm);
    }

    /**
     * The nonce count as a number.
     *
     * @return the count, or -1 when absent or not hex
     */
    public long nonceCount() {
        if (nc == null || nc.isEmpty() || nc.length() > 8) {
            return -1;
        }
        try {
            return Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** @return the header value, as a client writes it */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder("Digest username=\"").append(username).append("\", realm=\"")
                .append(realm).append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri)
                .append("\", response=\"").append(response).append('"');
        sb.append(", algorithm=").append(algorithm == null ? "MD5" : algorithm);
        if (qop != null) {
            sb.append(", qop=").append(qop).append(", nc=").append(nc).append(", cnonce=\"").append(cnonce)
                    .append('"');
        }
        if (opaque != null) {
            sb.append(", opaque=\"").append(opaque).append('"');
        }
        return sb.toString();
    }

    /**
     * Splits {@code Digest a="x", b=y} into lower-case names and unquoted values.
     *
     * @return the parameters, or null if the scheme is not Digest or the syntax is broken
     */
    static Map<String, String> authParams(String value) {
        String v = value.trim();
        if (!v.regionMatches(true, 0, "Digest", 0, 6) || (v.length() > 6 && !Character.isWhitespace(v.charAt(6)))) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        int i = 6;
        int n = v.length();
        while (i < n) {
            char c = v.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int eq = v.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String name = v.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && v.charAt(i) == ' ') {
                i++;
            }
            String val;
            if (i < n && v.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char q = v.charAt(i++);
                    if (q == '\\' && i < n) {
                        sb.append(v.charAt(i++));
                    } else if (q == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(q);
                    }
                }
                if (!closed) {
                    return null;
                }
                val = sb.toString();
            } else {
                int comma = v.indexOf(',', i);
                int stop = comma < 0 ? n : comma;
                val = v.substring(i, stop).trim();
                i = stop;
            }
            if (name.isEmpty()) {
                return null;
            }
            out.put(name, val);
        }
        return out;
    }
}
