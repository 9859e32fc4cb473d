package org.arc4j.media.rtp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A UDP socket for one RTP stream (RFC 3550 over UDP), the transport of the minimal G.711 path: datagrams received
 * are handed, in order, to a consumer on the endpoint's own thread (typically {@link G711RtpReceiver#receive});
 * {@link #send} sends to the remote address, which is either given or learnt from the first datagram received
 * (symmetric RTP, as gateways behind NAT expect). Thread-safe.
 */
public final class RtpUdpEndpoint implements AutoCloseable {
    /** The largest datagram read. */
    public static final int MAX_DATAGRAM = 1500;

    private final DatagramSocket socket;
    private volatile SocketAddress remote;
    private Thread reader;

    private RtpUdpEndpoint(DatagramSocket socket, SocketAddress remote) {
        this.socket = socket;
        this.remote = remote;
    }

    /**
     * Binds a local address.
     *
     * @param local  the local address (port 0 for any)
     * @param remote where to send, or null to learn it from the first datagram received
     * @return the endpoint
     * @throws IOException if the address cannot be bound
     */
    public static RtpUdpEndpoint bind(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        return new RtpUdpEndpoint(new DatagramSocket(Objects.requireNonNull(local, "local")), remote);
    }

    /** @return the bound local address */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * Starts receiving.
     *
     * @param consumer gets each datagram's bytes (its own copy) on the endpoint's thread
     */
    public synchronized void start(Consumer<byte[]> consumer) {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        reader = new Thread(() -> {
            byte[] buf = new byte[MAX_DATAGRAM];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (!socket.isClosed()) {
                try {
                    p.setLength(buf.length);
                    socket.receive(p);
                    if (remote == null) {
                        remote = p.getSocketAddress();
                    }
                    consumer.accept(Arrays.copyOf(buf, p.getLength()));
                } catch (IOException e) {
                    // closed: the loop ends
                }
            }
        }, "arc4j-rtp " + localAddress());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Sets where to send, once it is known (an SDP answer that came after the local port was offered).
     *
     * @param remote the remote address
     */
    public void remote(InetSocketAddress remote) {
        this.remote = Objects.requireNonNull(remote, "remote");
    }

    /**
     * Sends one packet to the remote address.
     *
     * @param packet the RTP packet's bytes
     * @return false when no remote address is known yet (nothing sent)
     * @throws IOException if sending fails
     */
    public boolean send(byte[] packet) throws IOException {
        SocketAddress to = remote;
        if (to == null) {
            return false;
        }
        socket.send(new DatagramPacket(packet, packet.length, to));
        return true;
    }

    @Override
    public void close() {
        socket.close();
    }
}
