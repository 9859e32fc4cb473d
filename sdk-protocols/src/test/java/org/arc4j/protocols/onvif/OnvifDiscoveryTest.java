package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.arc4j.protocols.onvif.testkit.TestDiscoveryResponder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * WS-Discovery over loopback multicast (the loopback interface pinned by its address) and unicast, against test
 * responders answering with a recorded ProbeMatches: duplicates merged by endpoint reference, answers to other
 * probes and garbage ignored.
 */
class OnvifDiscoveryTest {
    final ExecutorService executor = Executors.newCachedThreadPool();
    // a high port of our own, so that tests on the same machine do not hear each other's probes
    final InetSocketAddress group = new InetSocketAddress("239.255.255.250",
            ThreadLocalRandom.current().nextInt(40_000, 60_000));

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    @Test
    void multicastProbeOnLoopbackFindsEachDeviceOnce() throws Exception {
        NetworkInterface lo = TestDiscoveryResponder.loopback();
        try (TestDiscoveryResponder a = TestDiscoveryResponder.start(group, lo, "urn:uuid:aaaa-1", "http://10.0.0.1/onvif/device_service", 3);
             TestDiscoveryResponder b = TestDiscoveryResponder.start(group, lo, "urn:uuid:bbbb-2", "http://10.0.0.2/onvif/device_service", 1)) {
            List<ProbeMatch> found = new OnvifDiscovery(executor, group).discover(Duration.ofMillis(1500), lo)
                    .get(10, TimeUnit.SECONDS);
            assertThat(found).extracting(ProbeMatch::endpointReference)
                    .containsExactlyInAnyOrder("urn:uuid:aaaa-1", "urn:uuid:bbbb-2");
            ProbeMatch m = found.stream().filter(p -> p.endpointReference().equals("urn:uuid:aaaa-1")).findFirst().orElseThrow();
            assertThat(m.xaddrs()).containsExactly(URI.create("http://10.0.0.1/onvif/device_service"));
            assertThat(m.types()).contains("dn:NetworkVideoTransmitter");
            assertThat(m.scopes()).contains("onvif://www.onvif.org/name/PREDATOR");
            assertThat(m.from().getAddress().isLoopbackAddress()).isTrue();
            assertThat(a.probes()).isEqualTo(1);
            assertThat(b.probes()).isEqualTo(1);
        }
    }

    @Test
    void unicastProbe() throws Exception {
        NetworkInterface lo = TestDiscoveryResponder.loopback();
        try (TestDiscoveryResponder a = TestDiscoveryResponder.start(group, lo, "urn:uuid:cccc-3", "http://10.0.0.3/onvif/device_service", 2)) {
            List<ProbeMatch> found = new OnvifDiscovery(executor).probe(new InetSocketAddress("127.0.0.1", a.port()),
                    Duration.ofMillis(800)).get(10, TimeUnit.SECONDS);
            assertThat(found).extracting(ProbeMatch::endpointReference).containsExactly("urn:uuid:cccc-3");
        }
    }

    @Test
    void probeMessageIsAWsDiscoveryProbeForVideoTransmitters() {
        String probe = new String(OnvifDiscovery.probeMessage("urn:uuid:1"), java.nio.charset.StandardCharsets.UTF_8);
        var r = org.arc4j.protocols.onvif.internal.Xml.INSTANCE.parse(probe.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.repairs()).isEmpty();
        assertThat(r.root().text("Header", "MessageID")).isEqualTo("urn:uuid:1");
        assertThat(r.root().text("Header", "Action")).isEqualTo("http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe");
        assertThat(r.root().path("Body", "Probe").namespace()).isEqualTo("http://schemas.xmlsoap.org/ws/2005/04/discovery");
        assertThat(r.root().text("Body", "Probe", "Types")).isEqualTo("dn:NetworkVideoTransmitter");
    }
}
