package org.arc4j.protocols.onvif;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * What the client does with host addresses inside URIs a device returns (service addresses, stream, snapshot and
 * subscription URIs). Cameras behind NAT or port forwarding report their own private address — or
 * {@code 127.0.0.1} from a badly configured firmware — which the centre cannot reach; the device was reached at
 * another address, and that one is used instead. The original is always kept ({@link MediaUri#reported()}).
 *
 * <p>Immutable and thread-safe.
 */
public enum AddressPolicy {
    /** Use every URI as reported. */
    KEEP,
    /**
     * Replace a reported host that is an IP literal in a private (RFC 1918), shared (RFC 6598), loopback,
     * link-local or unspecified range, when it differs from the host the device was reached at (the default).
     */
    REWRITE_PRIVATE,
    /** Always replace the reported host by the host the device was reached at. */
    ALWAYS;

    /**
     * Applies the policy. The port is replaced too when the URI uses the scheme the device was reached with
     * (a service address behind the same port forwarding), and kept otherwise (an RTSP port).
     *
     * @param reported the URI the device reported (trimmed)
     * @param reached  the device service address the client uses
     * @return the URI to use
     */
    public URI apply(URI reported, URI reached) {
        if (this == KEEP || reported == null || reported.getHost() == null || reached.getHost() == null) {
            return reported;
        }
        String host = reported.getHost();
        if (host.equalsIgnoreCase(reached.getHost())) {
            return reported;
        }
        if (this == REWRITE_PRIVATE && !isNonPublic(host)) {
            return reported;
        }
        int port = reported.getPort();
        if (reported.getScheme() != null && reported.getScheme().equalsIgnoreCase(reached.getScheme())) {
            port = reached.getPort();
        }
        try {
            return new URI(reported.getScheme(), reported.getRawUserInfo() == null ? null : reported.getUserInfo(),
                    reached.getHost(), port, reported.getPath(), reported.getQuery(), reported.getFragment());
        } catch (URISyntaxException e) {
            return reported;
        }
    }

    /**
     * Whether a host is an IP literal outside the public address space.
     *
     * @param host a host name or literal
     * @return true for private, shared, loopback, link-local and unspecified literals; false for names
     */
    public static boolean isNonPublic(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!isLiteral(h)) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(h); // a literal: no lookup happens
            if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
                return true;
            }
            byte[] b = a.getAddress();
            if (b.length == 4) {
                return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT
            }
            return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isLiteral(String h) {
        if (h.indexOf(':') >= 0) {
            return true;
        }
        if (h.isEmpty()) {
            return false;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
