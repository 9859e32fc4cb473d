package org.arc4j.gb28181.sip;

import java.util.Map;
import java.util.Objects;

/**
 * One Via header value (RFC 3261 §20.42), with the {@code received} (§18.2.1) and {@code rport} (RFC 3581)
 * parameters that route responses back through NAT. Immutable.
 *
 * @param protocol  the sent-protocol, e.g. {@code SIP/2.0/UDP}
 * @param host      the sent-by host
 * @param port      the sent-by port, or -1 if not given
 * @param params    the parameters in order (a value of null is a flag such as a bare {@code rport})
 */
public record Via(String protocol, String host, int port, Map<String, String> params) {
    /** The branch cookie of RFC 3261 §8.1.1.7. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    /** Validates the parts and copies the parameters. */
    public Via {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    /**
     * Parses a single Via value (not a comma list).
     *
     * @param value the value, e.g. {@code SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1}
     * @return the Via, or null if malformed
     */
    public static Via parse(String value) {
        String v = value.trim();
        int sp = 0;
        while (sp < v.length() && !Character.isWhitespace(v.charAt(sp))) {
            sp++;
        }
        String proto = v.substring(0, sp);
        int slashes = 0;
        for (int i = 0; i < proto.length(); i++) {
            if (proto.charAt(i) == '/') {
                slashes++;
            }
        }
        if (slashes != 2) {
            return null;
        }
        while (sp < v.length() && Character.isWhitespace(v.charAt(sp))) {
            sp++;
        }
        int semi = v.indexOf(';', sp);
        String sentBy = (semi < 0 ? v.substring(sp) : v.substring(sp, semi)).trim();
        if (sentBy.isEmpty()) {
            return null;
        }
        String host;
        int port = -1;
        if (sentBy.startsWith("[")) {
            int close = sentBy.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = sentBy.substring(0, close + 1);
            if (close + 1 < sentBy.length()) {
                if (sentBy.charAt(close + 1) != ':') {
                    return null;
                }
                port = Params.port(sentBy.substring(close + 2));
                if (port < 0) {
                    return null;
                }
            }
        } else {
            int colon = sentBy.lastIndexOf(':');
            if (colon >= 0) {
                host = sentBy.substring(0, colon).trim();
                port = Params.port(sentBy.substring(colon + 1).trim());
                if (port < 0) {
                    return null;
                }
            } else {
                host = sentBy;
            }
        }
        if (host.isEmpty()) {
            return null;
        }
        return new Via(proto, host, port, semi < 0 ? Map.of() : Params.parse(v, semi));
    }

    /** @return the transport token, upper case, e.g. {@code UDP} */
    public String transport() {
        return protocol.substring(protocol.lastIndexOf('/') + 1).toUpperCase(java.util.Locale.ROOT);
    }

    /** @return the branch parameter, or null */
    public String branch() {
        return Params.get(params, "branch");
    }

    /** @return the received parameter, or null */
    public String received() {
        return Params.get(params, "received");
    }

    /** @return true if an rport parameter is present, with or without a value */
    public boolean hasRport() {
        return Params.has(params, "rport");
    }

    /** @return the rport value, or -1 when absent or valueless */
    public int rport() {
        String r = Params.get(params, "rport");
        return r == null ? -1 : Params.port(r);
    }

    /**
     * A copy with a parameter set.
     *
     * @param name  the parameter
     * @param value its value, or null for a flag
     * @return the copy
     */
    public Via withParam(String name, String value) {
        return new Via(protocol, host, port, Params.with(params, name, value));
    }

    /** @return the value as written on the wire */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(protocol).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        Params.render(params, sb);
        return sb.toString();
    }
}
