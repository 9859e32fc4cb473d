package org.arc4j.gb28181.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipTransport;
import org.junit.jupiter.api.Test;

class TrustedPeersTest {
    static SipPeer udp(int port) {
        return new SipPeer(SipTransport.UDP, new InetSocketAddress("127.0.0.1", port));
    }

    static SipPeer tcp(int port) {
        return new SipPeer(SipTransport.TCP, new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void udpIsTrustedOnlyFromTheRegisteredAddress() {
        TrustedPeers t = new TrustedPeers();
        assertThat(t.trusts(udp(5060), udp(5060))).isTrue();
        assertThat(t.trusts(udp(5060), udp(5061))).isFalse();
        assertThat(t.trusts(null, udp(5060))).isFalse();
        assertThat(t.trusts(udp(5060), tcp(5060))).isFalse();
    }

    @Test
    void tcpIsTrustedOnlyWhileTheConnectionThatAuthenticatedIsOpen() {
        TrustedPeers t = new TrustedPeers();
        assertThat(t.trusts(tcp(40000), tcp(40000))).isFalse(); // registered address, but never authenticated here
        t.authenticated(null, tcp(40000));
        assertThat(t.trusts(tcp(40000), tcp(40000))).isTrue();
        assertThat(t.tcpConnections()).isEqualTo(1);
        t.closed(tcp(40000));
        assertThat(t.trusts(tcp(40000), tcp(40000))).isFalse(); // a new connection from the same port re-authenticates
        assertThat(t.tcpConnections()).isZero();
    }

    @Test
    void movingForgetsTheOldConnection() {
        TrustedPeers t = new TrustedPeers();
        t.authenticated(null, tcp(40000));
        t.authenticated(tcp(40000), tcp(40001));
        assertThat(t.tcpConnections()).isEqualTo(1);
        assertThat(t.trusts(tcp(40001), tcp(40001))).isTrue();
        t.authenticated(tcp(40001), udp(5060));
        assertThat(t.tcpConnections()).isZero();
    }
}
