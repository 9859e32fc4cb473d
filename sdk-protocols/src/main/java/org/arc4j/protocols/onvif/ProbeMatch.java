package org.arc4j.protocols.onvif;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * One device found by WS-Discovery (WS-Discovery 2005 §5.3 ProbeMatch; ONVIF Core §7.3). Immutable.
 *
 * @param endpointReference the device's stable endpoint reference ({@code urn:uuid:…}), by which answers are
 *                          de-duplicated
 * @param types             the types it claims, e.g. {@code dn:NetworkVideoTransmitter}
 * @param scopes            its scopes ({@code onvif://www.onvif.org/name/…})
 * @param xaddrs            its device service addresses
 * @param metadataVersion   the metadata version, or 0
 * @param from              where the answer came from
 */
public record ProbeMatch(String endpointReference, List<String> types, List<String> scopes, List<URI> xaddrs,
                         long metadataVersion, InetSocketAddress from) {
    /** Copies the lists. */
    public ProbeMatch {
        types = List.copyOf(types);
        scopes = List.copyOf(scopes);
        xaddrs = List.copyOf(xaddrs);
    }
}
