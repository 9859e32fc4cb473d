package org.arc4j.protocols.dc09;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One transmission path of a {@link Dc09Transmitter} (DC-09: primary/secondary receiver over main/backup
 * network paths): where to send and over which transport.
 *
 * @param transport TCP or UDP
 * @param address   the receiver's address
 */
public record Dc09Path(Transport transport, InetSocketAddress address) {
    /** The IP transport of a path. */
    public enum Transport {
        /** A TCP connection, kept open between messages. */
        TCP,
        /** One datagram per message. */
        UDP
    }

    /** Validates both parts. */
    public Dc09Path {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }

    /** @param address the receiver @return a TCP path */
    public static Dc09Path tcp(InetSocketAddress address) {
        return new Dc09Path(Transport.TCP, address);
    }

    /** @param address the receiver @return a UDP path */
    public static Dc09Path udp(InetSocketAddress address) {
        return new Dc09Path(Transport.UDP, address);
    }
}
