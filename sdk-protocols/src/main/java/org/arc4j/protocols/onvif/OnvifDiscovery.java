package org.arc4j.protocols.onvif;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.arc4j.protocols.onvif.internal.Namespaces;
import org.arc4j.protocols.onvif.internal.Readers;
import org.arc4j.protocols.onvif.internal.Xml;
import org.arc4j.protocols.onvif.internal.XmlElement;

/**
 * WS-Discovery of ONVIF devices (WS-Discovery 2005 §5.2 Probe, §5.3 ProbeMatch; ONVIF Core §7.3): a
 * {@code Probe} for {@code dn:NetworkVideoTransmitter} sent to the multicast group {@code 239.255.255.250:3702}
 * on each chosen interface, or unicast to one address, and the {@code ProbeMatches} collected for a while,
 * de-duplicated by endpoint reference (a device answering on two interfaces, or twice, is one device; its
 * addresses are merged). Answers to another probe ({@code RelatesTo} not ours) and unreadable datagrams are
 * ignored.
 *
 * <p>Each discovery runs on the given executor (it waits on a selector for the whole window, so never give it an
 * event loop). Thread-safe.
 */
public final class OnvifDiscovery {
    /** The WS-Discovery multicast group and port. */
    public static final InetSocketAddress MULTICAST_GROUP = new InetSocketAddress("239.255.255.250", 3702);
    private static final int MAX_DATAGRAM = 65_507;

    private final Executor executor;
    private final InetSocketAddress group;

    /**
     * Discovery on the standard group.
     *
     * @param executor where each discovery runs (blocks for its window)
     */
    public OnvifDiscovery(Executor executor) {
        this(executor, MULTICAST_GROUP);
    }

    /**
     * Discovery on another group or port (tests, or a relay).
     *
     * @param executor where each discovery runs
     * @param group    the multicast group and port
     */
    public OnvifDiscovery(Executor executor, InetSocketAddress group) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.group = Objects.requireNonNull(group, "group");
    }

    /**
     * Probes by multicast on each interface and collects answers for {@code wait}.
     *
     * @param wait       how long to collect answers
     * @param interfaces the interfaces to probe on, at least one (the loopback interface works when named)
     * @return the devices found, in order of first answer
     */
    public CompletableFuture<List<ProbeMatch>> discover(Duration wait, NetworkInterface... interfaces) {
        if (interfaces.length == 0) {
            throw new IllegalArgumentException("name at least one network interface");
        }
        List<NetworkInterface> nics = List.copyOf(Arrays.asList(interfaces));
        return CompletableFuture.supplyAsync(() -> run(wait, nics, group), executor);
    }

    /**
     * Probes one address by unicast (a device on another subnet, or behind a router that drops multicast).
     *
     * @param target the device's address, usually port 3702
     * @param wait   how long to collect answers
     * @return the devices that answered
     */
    public CompletableFuture<List<ProbeMatch>> probe(InetSocketAddress target, Duration wait) {
        return CompletableFuture.supplyAsync(() -> run(wait, List.of(), target), executor);
    }

    /**
     * The Probe message.
     *
     * @param messageId the {@code wsa:MessageID} (a {@code urn:uuid:})
     * @return the datagram's bytes
     */
    public static byte[] probeMessage(String messageId) {
        String s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"" + Namespaces.SOAP12
                + "\" xmlns:a=\"" + Namespaces.WSA2004 + "\" xmlns:d=\"" + Namespaces.WSD + "\" xmlns:dn=\""
                + Namespaces.DN + "\"><s:Header><a:Action s:mustUnderstand=\"1\">" + Namespaces.WSD
                + "/Probe</a:Action><a:MessageID>" + messageId + "</a:MessageID><a:ReplyTo><a:Address>"
                + Namespaces.WSA2004 + "/role/anonymous</a:Address></a:ReplyTo><a:To s:mustUnderstand=\"1\">"
                + "urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe>"
                + "<d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<ProbeMatch> run(Duration wait, List<NetworkInterface> nics, InetSocketAddress target) {
        String messageId = "urn:uuid:" + UUID.randomUUID();
        byte[] probe = probeMessage(messageId);
        Map<String, ProbeMatch> found = new LinkedHashMap<>();
        List<DatagramChannel> channels = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            if (nics.isEmpty()) {
                DatagramChannel ch = DatagramChannel.open(target.getAddress() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channels.add(ch);
                ch.bind(null);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
                ch.send(ByteBuffer.wrap(probe), target);
            } else {
                for (NetworkInterface nic : nics) {
                    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                    channels.add(ch);
                    InetAddress local = ipv4(nic);
                    ch.bind(new InetSocketAddress(local, 0));
                    ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nic);
                    ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                    ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ);
                    ch.send(ByteBuffer.wrap(probe), target);
                }
            }
            ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
            long deadline = System.nanoTime() + wait.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                selector.select(Math.max(1, left / 1_000_000));
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) k.channel();
                    SocketAddress from;
                    while ((from = ch.receive(buf.clear())) != null) {
                        buf.flip();
                        byte[] b = new byte[buf.remaining()];
                        buf.get(b);
                        accept(b, messageId, (InetSocketAddress) from, found);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new CompletionException(new OnvifException(OnvifException.Kind.CONNECT,
                    "WS-Discovery probe failed: " + e, 0, e));
        } finally {
            for (DatagramChannel ch : channels) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing a datagram channel we opened; nothing to recover
                }
            }
        }
        return List.copyOf(found.values());
    }

    private static InetAddress ipv4(NetworkInterface nic) throws IOException {
        return nic.inetAddresses().filter(a -> a instanceof java.net.Inet4Address).findFirst()
                .orElseThrow(() -> new IOException("interface " + nic.getName() + " has no IPv4 address"));
    }

    private static void accept(byte[] datagram, String messageId, InetSocketAddress from, Map<String, ProbeMatch> found) {
        Xml.Result r = Xml.INSTANCE.parse(datagram);
        if (!r.ok() || !r.root().name().equals("Envelope")) {
            return;
        }
        String relatesTo = r.root().text("Header", "RelatesTo");
        if (relatesTo != null && !relatesTo.isEmpty() && !relatesTo.equals(messageId)) {
            return;
        }
        XmlElement body = r.root().child("Body");
        XmlElement matches = body == null ? null : body.child("ProbeMatches");
        if (matches == null) {
            return;
        }
        for (ProbeMatch m : Readers.probeMatches(matches, from)) {
            ProbeMatch before = found.get(m.endpointReference());
            if (before == null) {
                found.put(m.endpointReference(), m);
            } else {
                List<URI> x = new ArrayList<>(before.xaddrs());
                m.xaddrs().stream().filter(u -> !x.contains(u)).forEach(x::add);
                found.put(m.endpointReference(), new ProbeMatch(before.endpointReference(), before.types(),
                        before.scopes(), x, Math.max(before.metadataVersion(), m.metadataVersion()), before.from()));
            }
        }
    }
}
