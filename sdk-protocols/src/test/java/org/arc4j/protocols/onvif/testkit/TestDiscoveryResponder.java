package org.arc4j.protocols.onvif.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.arc4j.protocols.onvif.internal.Xml;

/**
 * A WS-Discovery responder for tests: joins a multicast group on one interface (the loopback interface works
 * when named, although it has no MULTICAST flag) and answers each Probe with the ProbeMatches recorded from a
 * camera ({@code vectors/onvif/agsh-onvif-v0x/Probe.xml}), its {@code RelatesTo}, endpoint reference and
 * address filled in — {@code copies} times, and once more related to another probe and once as garbage, which
 * a client must ignore. Also answers unicast probes. Thread-safe; close it.
 */
public final class TestDiscoveryResponder implements AutoCloseable {
    private final DatagramChannel channel;
    private final MembershipKey membership;
    private final Thread thread;
    private final String template;
    private final AtomicInteger probes = new AtomicInteger();

    private TestDiscoveryResponder(InetSocketAddress group, NetworkInterface nic, String epr, String xaddr, int copies)
            throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("vectors/onvif/agsh-onvif-v0x/Probe.xml")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("uuid:c9790c3a-701b-464d-a189-0060351c8ada", epr)
                    .replace("http://127.0.0.1:10101/onvif/device_service", xaddr);
        }
        channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(new InetSocketAddress(group.getPort()));
        membership = channel.join(group.getAddress(), nic);
        thread = new Thread(() -> serve(copies), "test-discovery-responder");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts a responder.
     *
     * @param group  the multicast group and port to listen on
     * @param nic    the interface to join on
     * @param epr    the endpoint reference to answer with
     * @param xaddr  the device service address to answer with
     * @param copies how many identical answers per probe
     * @return the responder
     */
    public static TestDiscoveryResponder start(InetSocketAddress group, NetworkInterface nic, String epr, String xaddr,
                                               int copies) {
        try {
            return new TestDiscoveryResponder(group, nic, epr, xaddr, copies);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the port it listens on */
    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return probes received */
    public int probes() {
        return probes.get();
    }

    private void serve(int copies) {
        ByteBuffer buf = ByteBuffer.allocate(65_507);
        while (channel.isOpen()) {
            try {
                SocketAddress from = channel.receive(buf.clear());
                buf.flip();
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                Xml.Result r = Xml.INSTANCE.parse(b);
                if (!r.ok() || r.root().path("Body", "Probe") == null) {
                    continue;
                }
                probes.incrementAndGet();
                String id = r.root().text("Header", "MessageID");
                byte[] answer = template.replace("urn:uuid:00000000-0000-0000-0000-000000000001", id)
                        .getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < copies; i++) {
                    channel.send(ByteBuffer.wrap(answer), from);
                }
                channel.send(ByteBuffer.wrap(template.replace("urn:uuid:00000000-0000-0000-0000-000000000001",
                        "urn:uuid:someone-else").replace("<wsa:Address>", "<wsa:Address>other-")
                        .getBytes(StandardCharsets.UTF_8)), from);
                channel.send(ByteBuffer.wrap("<not-soap".getBytes(StandardCharsets.UTF_8)), from);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** @return the loopback interface, found by its address */
    public static NetworkInterface loopback() {
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        membership.drop();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing our own channel
        }
    }
}
