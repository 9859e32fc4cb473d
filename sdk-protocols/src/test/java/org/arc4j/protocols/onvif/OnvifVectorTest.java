package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.arc4j.protocols.onvif.internal.Readers;
import org.arc4j.protocols.onvif.internal.Xml;
import org.arc4j.protocols.onvif.internal.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded response in {@code vectors/onvif/} is read: the ones SOURCES.txt lists as well-formed with no
 * repair, the ones it lists as MALFORMED leniently with the repair named; every one yields a SOAP payload or a
 * typed fault, and the ones the client decodes give typed values with their fields checked.
 */
class OnvifVectorTest {
    static Path root() throws URISyntaxException {
        return Path.of(OnvifVectorTest.class.getClassLoader().getResource("vectors/onvif/SOURCES.txt").toURI())
                .getParent();
    }

    /** File → true when SOURCES.txt says MALFORMED. */
    static Map<String, Boolean> listed() throws Exception {
        Map<String, Boolean> m = new HashMap<>();
        for (String line : Files.readAllLines(root().resolve("SOURCES.txt"), StandardCharsets.UTF_8)) {
            String[] cols = line.split("\\|");
            if (cols.length >= 4 && cols[0].trim().endsWith(".xml")) {
                m.put(cols[0].trim(), cols[3].trim().startsWith("MALFORMED"));
            }
        }
        return m;
    }

    static Stream<String> files() throws Exception {
        Path r = root();
        try (Stream<Path> s = Files.walk(r)) {
            return s.filter(p -> p.toString().endsWith(".xml")).map(p -> r.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList().stream();
        }
    }

    static XmlElement payload(String file) throws Exception {
        return Readers.payload(Files.readAllBytes(root().resolve(file)), 200);
    }

    @Test
    void everyFileIsListedInSources() throws Exception {
        assertThat(files().toList()).hasSizeGreaterThan(100).allSatisfy(f -> assertThat(listed()).containsKey(f));
    }

    @ParameterizedTest
    @MethodSource("files")
    void everyFileIsReadStrictlyOrWithANamedRepair(String file) throws Exception {
        Xml.Result r = Xml.INSTANCE.parse(Files.readAllBytes(root().resolve(file)));
        assertThat(r.ok()).as("%s readable: %s", file, r.error()).isTrue();
        if (listed().get(file)) {
            assertThat(r.repairs()).as("repairs of %s", file).isNotEmpty();
        } else {
            assertThat(r.repairs()).as("repairs of %s", file).isEmpty();
        }
        try {
            XmlElement p = Readers.payload(r.root(), 200);
            assertThat(p.name()).as(file).matches(".*(Response|ProbeMatches)");
        } catch (OnvifFault f) {
            assertThat(file).containsAnyOf("Error", "fault");
        }
    }

    @Test
    void malformedDeclarationAndUnboundPrefixesAreNamed() throws Exception {
        Xml.Result err = Xml.INSTANCE.parse(Files.readAllBytes(root().resolve("agsh-onvif-v0x/Error.xml")));
        assertThat(err.repairs()).anyMatch(s -> s.contains("malformed XML declaration"))
                .anyMatch(s -> s.contains("namespace"));
        Xml.Result enc = Xml.INSTANCE.parse(Files.readAllBytes(root().resolve("agsh-onvif-v0x/GetCapabilitiesEncoder.xml")));
        assertThat(enc.repairs()).containsExactly("declared utf-16 over single-byte text, read as UTF-8");
    }

    @Test
    void unreadableTextIsATypedErrorNotAnException() {
        Xml.Result r = Xml.INSTANCE.parse("<a><b></a>".getBytes(StandardCharsets.UTF_8));
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).isNotEmpty();
        assertThatThrownBy(() -> Readers.payload("not xml".getBytes(StandardCharsets.UTF_8), 200))
                .isInstanceOfSatisfying(OnvifException.class, e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.MALFORMED));
        assertThatThrownBy(() -> Readers.payload("<x/>".getBytes(StandardCharsets.UTF_8), 200))
                .isInstanceOfSatisfying(OnvifException.class, e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.MALFORMED));
        // an entity expansion is refused, not performed
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        assertThat(Xml.INSTANCE.parse(xxe.getBytes(StandardCharsets.UTF_8)).ok()).isFalse();
    }

    @Test
    void faultsWithSubcodeChains() throws Exception {
        assertThatThrownBy(() -> payload("ex_onvif/soap_fault.xml")).isInstanceOfSatisfying(OnvifFault.class, f -> {
            assertThat(f.code()).isEqualTo("Sender");
            assertThat(f.subcodes()).containsExactly("InvalidArgVal", "NoProfile");
            assertThat(f.reason()).isEqualTo("Argument Value Invalid");
            assertThat(f.hasSubcode("NoProfile")).isTrue();
            assertThat(f.isAuthenticationFailure()).isFalse();
        });
        assertThatThrownBy(() -> payload("agsh-onvif-v0x/Error.xml")).isInstanceOfSatisfying(OnvifFault.class, f -> {
            assertThat(f.code()).isEqualTo("fault code");
            assertThat(f.subcodes()).startsWith("fault subcode");
        });
        String soap11 = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
                + "<faultcode>s:Client.NotAuthorized</faultcode><faultstring>nope</faultstring></s:Fault></s:Body></s:Envelope>";
        assertThatThrownBy(() -> Readers.payload(soap11.getBytes(StandardCharsets.UTF_8), 500))
                .isInstanceOfSatisfying(OnvifFault.class, f -> {
                    assertThat(f.code()).isEqualTo("Client");
                    assertThat(f.isAuthenticationFailure()).isTrue();
                    assertThat(f.httpStatus()).isEqualTo(500);
                });
    }

    @Test
    void soap11AnswersAreReadLikeSoap12() throws Exception {
        String soap11 = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<GetDeviceInformationResponse xmlns=\"http://www.onvif.org/ver10/device/wsdl\"><Manufacturer>ACME"
                + "</Manufacturer><Model>X1</Model></GetDeviceInformationResponse></s:Body></s:Envelope>";
        XmlElement p = Readers.payload(soap11.getBytes(StandardCharsets.UTF_8), 200);
        assertThat(p.namespace()).isEqualTo("http://www.onvif.org/ver10/device/wsdl");
        assertThat(Readers.deviceInformation(p)).isEqualTo(new DeviceInformation("ACME", "X1", "", "", ""));
    }

    @Test
    void typedValues() throws Exception {
        SystemDateAndTime t = Readers.systemDateAndTime(payload("ex_onvif/get_system_date_and_time.xml"));
        assertThat(t.utc()).isEqualTo(Instant.parse("2024-07-09T19:49:06Z"));
        assertThat(t.timeZone()).isEqualTo("BRT3");
        assertThat(t.daylightSavings()).isTrue();
        assertThat(Readers.systemDateAndTime(payload("agsh-onvif-v0x/GetSystemDateAndTime.xml")).utc())
                .isEqualTo(Instant.parse("2014-12-24T19:14:37Z"));

        assertThat(Readers.deviceInformation(payload("ex_onvif/get_device_information.xml"))).isEqualTo(
                new DeviceInformation("Milesight Technology Co.,Ltd.", "MS-C8165-PE", "61.8.0.3-r8", "EM82V102329001403",
                        "V1.0"));

        List<OnvifService> services = Readers.services(payload("agsh-onvif-v0x/GetServices.xml"));
        assertThat(services).hasSize(6).first().isEqualTo(new OnvifService("http://www.onvif.org/ver10/device/wsdl",
                URI.create("http://192.168.68.111/onvif/services"), "2.42"));

        OnvifCapabilities caps = Readers.capabilities(payload("agsh-onvif-v0x/GetCapabilities.xml"));
        assertThat(caps.xaddrs()).containsKeys("Device", "Events", "Imaging", "Media", "PTZ", "DeviceIO");
        OnvifCapabilities dahua = Readers.capabilities(payload("go2rtc/dahua_GetCapabilitiesResponse.xml"));
        assertThat(dahua.xaddr("Media")).isNotNull();
        assertThat(Readers.capabilities(payload("agsh-onvif-v0x/GetCapabilitiesEncoder.xml")).xaddrs()).isNotEmpty();

        assertThat(Readers.mediaUri(payload("go2rtc/dahua_GetStreamUriResponse_formatted_whitespace_in_uri.xml")))
                .isEqualTo(URI.create("rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif"));
        assertThat(Readers.mediaUri(payload("go2rtc/dahua_GetStreamUriResponse.xml")).getScheme()).isEqualTo("rtsp");
        assertThat(Readers.mediaUri(payload("go2rtc/dahua_GetSnapshotUriResponse.xml")))
                .isEqualTo(URI.create("http://192.168.1.123/onvifsnapshot/media_service/snapshot?channel=1&subtype=1"));
        assertThat(Readers.mediaUri(payload("agsh-onvif-v0x/GetSnapshotUri.xml")).getHost()).isEqualTo("192.168.68.111");

        assertThat(Readers.profiles(payload("agsh-onvif-v0x/GetProfiles.xml"), 1)).containsExactly(
                new MediaProfile("main", "main", "H264", 1920, 1080, "vidsrc0", "default", 1, "vscfg0"));

        assertThat(Readers.presets(payload("ex_onvif/get_ptz_presets.xml"))).extracting(PtzPreset::name)
                .containsExactly("Entrance", "Parking");
        assertThat(Readers.presets(payload("agsh-onvif-v0x/ptz.GetPresets.xml"))).isNotEmpty();

        PullPointSubscription sub = Readers.subscription(payload("ex_onvif/create_pull_point_subscription.xml"));
        assertThat(sub.address()).isEqualTo(URI.create("http://192.168.8.120/onvif/Events/PullSubManager_20250415T164937Z_0"));
        assertThat(sub.currentTime()).isEqualTo(Instant.parse("2025-04-15T16:49:37Z"));
        assertThat(sub.terminationTime()).isEqualTo(Instant.parse("2025-04-15T16:50:37Z"));
        assertThat(Readers.subscription(payload("agsh-onvif-v0x/events.CreatePullPointSubscription.xml")).address())
                .isNotNull();

        List<ProbeMatch> probe = Readers.probeMatches(payload("agsh-onvif-v0x/Probe.xml"), null);
        assertThat(probe).singleElement().satisfies(m -> {
            assertThat(m.endpointReference()).isEqualTo("uuid:c9790c3a-701b-464d-a189-0060351c8ada");
            assertThat(m.types()).containsExactly("dn:NetworkVideoTransmitter", "tds:Device");
            assertThat(m.scopes()).contains("onvif://www.onvif.org/name/PREDATOR");
            assertThat(m.xaddrs()).containsExactly(URI.create("http://127.0.0.1:10101/onvif/device_service"));
            assertThat(m.metadataVersion()).isEqualTo(1);
        });

        OnvifNetworkInterface nic = Readers.networkInterfaces(payload("agsh-onvif-v0x/device.GetNetworkInterfaces.xml")).get(0);
        assertThat(nic).isEqualTo(new OnvifNetworkInterface("eth0", true, "eth0", "28:57:be:65:7d:d5",
                List.of("192.168.68.111/24"), false));
    }

    @Test
    void pullMessagesOfTwoCameras() throws Exception {
        PullMessagesResult ex = Readers.pullMessages(payload("ex_onvif/pull_messages.xml"));
        assertThat(ex.currentTime()).isEqualTo(Instant.parse("2025-04-18T20:34:05Z"));
        assertThat(ex.terminationTime()).isEqualTo(Instant.parse("2025-04-18T20:44:10Z"));
        assertThat(ex.messages()).hasSize(8).allMatch(NotificationMessage::initialized);
        NotificationMessage first = ex.messages().get(0);
        assertThat(first.topic()).isEqualTo("VideoSource/MotionAlarm");
        assertThat(first.rawTopic()).isEqualTo("tns1:VideoSource/MotionAlarm");
        assertThat(first.source()).containsExactly(Map.entry("Source", "VideoSource_1"));
        assertThat(first.data()).containsExactly(Map.entry("State", "false"));
        assertThat(ex.messages().get(4).key()).containsExactly(Map.entry("ObjectId", "0"));

        PullMessagesResult agsh = Readers.pullMessages(payload("agsh-onvif-v0x/PullMessages.xml"));
        assertThat(agsh.messages()).hasSize(2).allSatisfy(m -> {
            assertThat(m.topic()).isEqualTo("RuleEngine/CellMotionDetector/Motion"); // whitespace around it trimmed
            assertThat(m.utcTime()).isEqualTo(Instant.parse("2015-05-14T13:57:50Z"));
            assertThat(m.propertyOperation()).isEmpty();
            assertThat(m.data()).containsEntry("IsMotion", "true");
        });
    }

    @Test
    void oddDateTimeForms() {
        Instant t = Instant.parse("2025-04-18T20:34:05Z");
        for (String s : List.of("2025-04-18T20:34:05Z", " 2025-04-18T20:34:05Z\n", "2025-04-18T20:34:05", "2025-04-18 20:34:05Z",
                "2025-04-18T22:34:05+02:00", "2025-04-18T22:34:05+0200", "2025-04-18T20:34:05.000Z", "2025-4-18T20:34:5Z")) {
            assertThat(org.arc4j.protocols.onvif.internal.DateTimes.parse(s)).as(s).isEqualTo(t);
        }
        assertThat(org.arc4j.protocols.onvif.internal.DateTimes.parse("2025-04-18T20:34:05.123456Z"))
                .isEqualTo(Instant.parse("2025-04-18T20:34:05.123456Z"));
        assertThat(org.arc4j.protocols.onvif.internal.DateTimes.parse("yesterday")).isNull();
        assertThat(org.arc4j.protocols.onvif.internal.DateTimes.parse("2025-13-40T20:34:05Z")).isNull();
    }

    @Test
    void passwordDigestMatchesTheUsernameTokenProfileExample() throws IOException {
        // OASIS WSS UsernameToken Profile: Base64(SHA-1(nonce + created + password)), checked against the JDK directly
        byte[] nonce = new byte[16];
        for (int i = 0; i < 16; i++) {
            nonce[i] = (byte) i;
        }
        String created = "2026-03-01T08:00:00.123Z";
        String expected;
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-1");
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.write(nonce);
            all.write(created.getBytes(StandardCharsets.UTF_8));
            all.write("secret".getBytes(StandardCharsets.UTF_8));
            expected = java.util.Base64.getEncoder().encodeToString(md.digest(all.toByteArray()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        assertThat(org.arc4j.protocols.onvif.internal.Soap.passwordDigest(nonce, created,
                "secret".getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        String token = org.arc4j.protocols.onvif.internal.Soap.usernameToken("u<1>", nonce,
                Instant.parse(created), "secret".getBytes(StandardCharsets.UTF_8));
        assertThat(token).contains("<wsse:Username>u&lt;1&gt;</wsse:Username>").contains(expected)
                .contains("<wsu:Created>" + created + "</wsu:Created>").doesNotContain("secret");
    }
}
