package org.arc4j.gb28181.sip;

import java.util.Map;
import java.util.Objects;

/**
 * A SIP or SIPS URI (RFC 3261 §19.1): {@code sip:user@host:port;params}. Header parts ({@code ?…}) are kept
 * in {@link #headers()} as text. Immutable.
 *
 * @param scheme  {@code sip} or {@code sips}, lower case
 * @param user    the user part (a GB/T 28181 device ID), or null
 * @param host    the host (name, IPv4, bracketed IPv6, or a GB/T 28181 domain such as {@code 3402000000})
 * @param port    the port, or -1
 * @param params  the URI parameters in order
 * @param headers the header part after {@code ?}, or null
 */
public record SipUri(String scheme, String user, String host, int port, Map<String, String> params,
                     String headers) {
    /** Validates the parts. */
    public SipUri {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        params = params == null ? Map.of() : params;
    }

    /**
     * A plain URI {@code sip:user@host:port}.
     *
     * @param user the user, or null
     * @param host the host
     * @param port the port, or -1
     * @return the URI
     */
    public static SipUri of(String user, String host, int port) {
        return new SipUri("sip", user, host, port, Map.of(), null);
    }

    /**
     * Parses a SIP URI.
     *
     * @param text the URI
     * @return the URI, or null if it is not a sip/sips URI or is malformed
     */
    public static SipUri parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String scheme = t.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return null;
        }
        String rest = t.substring(colon + 1);
        String headers = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            headers = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            int pw = user.indexOf(':');
            if (pw >= 0) {
                user = user.substring(0, pw);
            }
            rest = rest.substring(at + 1);
        }
        int semi = rest.indexOf(';');
        String hostPort = semi < 0 ? rest : rest.substring(0, semi);
        Map<String, String> params = semi < 0 ? Map.of() : Params.parse(rest, semi);
        String host;
        int port = -1;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = hostPort.substring(0, close + 1);
            if (close + 1 < hostPort.length() && hostPort.charAt(close + 1) == ':') {
                port = Params.port(hostPort.substring(close + 2));
                if (port < 0) {
                    return null;
                }
            }
        } else {
            int pc = hostPort.indexOf(':');
            if (pc >= 0) {
                host = hostPort.substring(0, pc);
                port = Params.port(hostPort.substring(pc + 1));
                if (port < 0) {
                    return null;
                }
            } else {
                host = hostPort;
            }
        }
        if (host.isEmpty()) {
            return null;
        }
        return new SipUri(scheme, user == null || user.isEmpty() ? null : user, host, port, params, headers);
    }

    /**
     * A URI parameter.
     *
     * @param name the name, any case
     * @return its value (null for a flag or when absent)
     */
    public String param(String name) {
        return Params.get(params, name);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme).append(':');
        if (user != null) {
            sb.append(user).append('@');
        }
        sb.append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        Params.render(params, sb);
        if (headers != null) {
            sb.append('?').append(headers);
        }
        return sb.toString();
    }
}
