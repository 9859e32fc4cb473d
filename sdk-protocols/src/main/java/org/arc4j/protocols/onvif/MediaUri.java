package org.arc4j.protocols.onvif;

import java.net.URI;

/**
 * A stream or snapshot URI as the client hands it out: {@link #uri()} is where to connect, after the
 * {@link AddressPolicy} rewrote a private or loopback host that the device reported; {@link #reported()} is
 * the URI exactly as the device sent it (trimmed). Immutable.
 *
 * @param uri      the URI to use
 * @param reported the URI the device reported
 */
public record MediaUri(URI uri, URI reported) {
    /** @return true when the policy changed the reported URI */
    public boolean rewritten() {
        return !uri.equals(reported);
    }
}
