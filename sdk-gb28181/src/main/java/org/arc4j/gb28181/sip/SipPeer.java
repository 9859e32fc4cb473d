package org.arc4j.gb28181.sip;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A remote SIP endpoint as the transport sees it: a transport and a socket address (for a device behind NAT,
 * the public address its packets come from).
 *
 * @param transport the transport
 * @param address   the remote address and port
 */
public record SipPeer(SipTransport transport, InetSocketAddress address) {
    /** Validates both parts. */
    public SipPeer {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return transport + "/" + address.getHostString() + ":" + address.getPort();
    }
}
