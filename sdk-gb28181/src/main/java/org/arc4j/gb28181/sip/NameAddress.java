package org.arc4j.gb28181.sip;

import java.util.Map;
import java.util.Objects;

/**
 * A name-addr or addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39): the value of From, To
 * and Contact, e.g. {@code "Cam" <sip:34020000001320000001@3402000000>;tag=1}. Immutable.
 *
 * @param displayName the display name without quotes, or null
 * @param uri         the URI text as written between the angle brackets
 * @param params      the header parameters after the URI (tag, expires, …)
 */
public record NameAddress(String displayName, String uri, Map<String, String> params) {
    /** Validates the parts. */
    public NameAddress {
        Objects.requireNonNull(uri, "uri");
        params = params == null ? Map.of() : params;
    }

    /**
     * Parses a From/To/Contact value.
     *
     * @param value the header value
     * @return the parsed value, or null if malformed
     */
    public static NameAddress parse(String value) {
        String v = value.trim();
        int lt = v.indexOf('<');
        if (lt >= 0) {
            int gt = v.indexOf('>', lt);
            if (gt < 0) {
                return null;
            }
            String name = v.substring(0, lt).trim();
            if (name.startsWith("\"") && name.endsWith("\"") && name.length() >= 2) {
                name = name.substring(1, name.length() - 1);
            }
            String uri = v.substring(lt + 1, gt).trim();
            if (uri.isEmpty()) {
                return null;
            }
            return new NameAddress(name.isEmpty() ? null : name, uri, Params.parse(v, gt + 1));
        }
        if (v.equals("*")) {
            return new NameAddress(null, "*", Map.of());
        }
        int semi = v.indexOf(';');
        String uri = semi < 0 ? v : v.substring(0, semi).trim();
        if (uri.isEmpty() || uri.indexOf(':') < 0) {
            return null;
        }
        return new NameAddress(null, uri, semi < 0 ? Map.of() : Params.parse(v, semi));
    }

    /** @return the tag parameter (RFC 3261 §19.3), or null */
    public String tag() {
        return Params.get(params, "tag");
    }

    /**
     * A header parameter.
     *
     * @param name its name, any case
     * @return its value, or null
     */
    public String param(String name) {
        return Params.get(params, name);
    }

    /** @return the URI parsed as a SIP URI, or null if it is not one */
    public SipUri sipUri() {
        return SipUri.parse(uri);
    }

    /**
     * A copy with a header parameter set.
     *
     * @param name  the parameter
     * @param value its value
     * @return the copy
     */
    public NameAddress withParam(String name, String value) {
        return new NameAddress(displayName, uri, Params.with(params, name, value));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (displayName != null) {
            sb.append('"').append(displayName).append("\" ");
        }
        sb.append('<').append(uri).append('>');
        Params.render(params, sb);
        return sb.toString();
    }
}
