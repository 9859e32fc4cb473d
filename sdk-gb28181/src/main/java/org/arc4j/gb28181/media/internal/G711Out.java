package org.arc4j.gb28181.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import org.arc4j.media.rtp.G711RtpSender;
import org.arc4j.media.rtp.RtpUdpEndpoint;

/**
 * The platform's audio socket of a voice broadcast or a talk: sdk-media's {@link G711RtpSender} cuts the caller's
 * G.711 into 20 ms RTP packets sent from one UDP port, which also receives the device's RTP in a talk. Sending
 * starts once the payload type, SSRC and destination are known. Thread-safe.
 */
final class G711Out implements AutoCloseable {
    private final RtpUdpEndpoint endpoint;
    private G711RtpSender sender;
    private boolean closed;

    private G711Out(RtpUdpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds the audio port.
     *
     * @param local where to bind (port 0 for any)
     * @return the socket, not sending yet
     * @throws IOException if it cannot be bound
     */
    static G711Out bind(InetSocketAddress local) throws IOException {
        return new G711Out(RtpUdpEndpoint.bind(local, null));
    }

    /** @return the bound port's address */
    InetSocketAddress localAddress() {
        return endpoint.localAddress();
    }

    /**
     * Starts sending: the device's payload type and address, the SSRC of the packets.
     *
     * @param payloadType 8 PCMA or 0 PCMU
     * @param ssrc        the SSRC
     * @param remote      the device's audio address
     */
    synchronized void start(int payloadType, long ssrc, InetSocketAddress remote) {
        endpoint.remote(remote);
        sender = new G711RtpSender(payloadType, -1, ssrc, 1, 0);
    }

    /**
     * Starts receiving datagrams on the endpoint's own thread.
     *
     * @param consumer each datagram
     */
    void receive(Consumer<byte[]> consumer) {
        endpoint.start(consumer);
    }

    /**
     * Sends G.711 codes as 20 ms packets (a remainder waits for the next call).
     *
     * @param codes the codes
     * @return packets sent
     * @throws IOException if sending fails
     * @throws IllegalStateException before {@link #start} or once closed
     */
    int send(byte[] codes) throws IOException {
        List<byte[]> packets;
        synchronized (this) {
            if (closed || sender == null) {
                throw new IllegalStateException("audio session ended or not established");
            }
            packets = sender.audio(codes);
        }
        for (byte[] p : packets) {
            endpoint.send(p);
        }
        return packets.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        endpoint.close();
    }
}
