package org.arc4j.gb28181.platform.internal;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipTransport;

/**
 * Which transport address a device's requests are believed from without a digest answer: the one its last
 * authenticated request came from and, over TCP, only while the connection that authenticated stays open (a
 * new connection, even from the same address and port, must authenticate again).
 *
 * <p>Bounded: an entry is added only for an authenticated TCP request and removed when that connection closes,
 * so there are never more entries than open authenticated connections. Thread-safe.
 */
public final class TrustedPeers {
    private final Set<InetSocketAddress> tcp = ConcurrentHashMap.newKeySet();

    /**
     * @param registered where the device's last authenticated request came from (the registry's peer), or null
     * @param source     where this request comes from
     * @return true when the request may be taken as the device's without a challenge
     */
    public boolean trusts(SipPeer registered, SipPeer source) {
        if (registered == null || !registered.equals(source)) {
            return false;
        }
        return source.transport() == SipTransport.UDP || tcp.contains(source.address());
    }

    /**
     * A request of the device authenticated from {@code source}.
     *
     * @param previous where the device was before, or null
     * @param source   where it is now
     */
    public void authenticated(SipPeer previous, SipPeer source) {
        if (previous != null && previous.transport() == SipTransport.TCP && !previous.equals(source)) {
            tcp.remove(previous.address());
        }
        if (source.transport() == SipTransport.TCP) {
            tcp.add(source.address());
        }
    }

    /**
     * A TCP connection closed: its address is no longer trusted.
     *
     * @param peer the connection's remote end
     */
    public void closed(SipPeer peer) {
        tcp.remove(peer.address());
    }

    /** @return the trusted TCP connections */
    public int tcpConnections() {
        return tcp.size();
    }
}
