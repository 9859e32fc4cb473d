package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client against the test device: WS-Security with the device's clock offset, HTTP Digest, the lockout
 * guard, typed errors, the device, media, PTZ and relay operations, the address policy and connection reuse.
 */
class OnvifClientTest {
    static final String USER = "operator";
    static final String PASSWORD = "Pa55-CANARY-onvif";

    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final TestOnvifDevice camera = TestOnvifDevice.start(scheduler.clock(), USER, PASSWORD);
    final OnvifClient client = OnvifClient.builder(scheduler, store).build();

    OnvifClientTest() {
        store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam1"),
                new Credential(USER, Secret.ofUtf8(PASSWORD), Map.of()));
    }

    @AfterEach
    void close() {
        client.close();
        camera.close();
    }

    OnvifDevice device() {
        return client.device(OnvifDeviceConfig.of(camera.address(), "cam1"));
    }

    static <T> T join(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {3600, -3600, 0})
    void clockSkewOfAnHourIsCorrectedFromGetSystemDateAndTime(long skewSeconds) throws Exception {
        camera.clockSkew(Duration.ofSeconds(skewSeconds));
        OnvifDevice d = device();
        DeviceInformation info = join(d.getDeviceInformation());
        assertThat(info.manufacturer()).isEqualTo("Mockup Manufacturer");
        assertThat(info.model()).isEqualTo("Mockup Model");
        assertThat(d.clockOffset()).isEqualTo(Duration.ofSeconds(skewSeconds));
        assertThat(camera.operations()).containsExactly("GetSystemDateAndTime", "GetDeviceInformation");
        assertThat(camera.createdSeen()).hasSize(1);
        assertThat(Duration.between(camera.deviceNow(), camera.createdSeen().get(0)).abs())
                .isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(camera.refusals()).isZero();
    }

    @Test
    void aClockThatJumpsIsRelearnedOnNotAuthorizedAndTheRequestRetriedOnce() throws Exception {
        OnvifDevice d = device();
        join(d.getDeviceInformation());
        camera.clockSkew(Duration.ofMinutes(-61)); // the camera's NTP moved it
        DeviceInformation info = join(d.getDeviceInformation());
        assertThat(info.serialNumber()).isEqualTo("00000000");
        assertThat(camera.refusals()).isEqualTo(1);
        assertThat(d.clockOffset()).isEqualTo(Duration.ofMinutes(-61));
        assertThat(camera.operations()).containsExactly("GetSystemDateAndTime", "GetDeviceInformation",
                "GetDeviceInformation", "GetSystemDateAndTime", "GetDeviceInformation");
    }

    @Test
    void everyRequestHasAFreshNonce() throws Exception {
        OnvifDevice d = device();
        for (int i = 0; i < 5; i++) {
            join(d.getDeviceInformation());
        }
        // the device refuses a replayed nonce, so five accepted requests had five nonces
        assertThat(camera.refusals()).isZero();
        assertThat(camera.createdSeen()).hasSize(5);
    }

    @Test
    void httpDigestOnlyDeviceIsAnsweredAfterItsChallengeAndThenUpFront() throws Exception {
        camera.digestOnly(true);
        OnvifDevice d = device();
        assertThat(join(d.getDeviceInformation()).hardwareId()).isEqualTo("MOCKUP");
        assertThat(join(d.getNetworkInterfaces())).hasSize(1);
        assertThat(camera.refusals()).isZero();
        // one challenge (the first request), then Digest sent up front
        assertThat(camera.operations()).containsExactly("GetSystemDateAndTime", "GetDeviceInformation",
                "GetDeviceInformation", "GetNetworkInterfaces");
    }

    @Test
    void basicOnlyWhereConfigured() throws Exception {
        camera.basicOnly(true);
        OnvifDevice digestDefault = device();
        assertThatThrownBy(() -> join(digestDefault.getDeviceInformation())).isInstanceOfSatisfying(OnvifException.class,
                e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.NOT_AUTHORIZED));
        assertThat(camera.refusals()).as("no Basic was sent, so nothing was refused").isZero();
        OnvifDevice basic = client.device(OnvifDeviceConfig.of(camera.address(), "cam1").withBasicAuth(true)
                .withWsSecurity(false));
        assertThat(join(basic.getDeviceInformation()).model()).isEqualTo("Mockup Model");
        assertThat(basic.clockOffset()).as("no WS-Security, no clock needed").isNull();
    }

    @Test
    void devicesWithoutGetServicesAreReadFromGetCapabilities() throws Exception {
        camera.withoutGetServices(true);
        OnvifDevice d = device();
        assertThat(join(d.services())).containsKeys("http://www.onvif.org/ver10/media/wsdl",
                "http://www.onvif.org/ver20/ptz/wsdl", "http://www.onvif.org/ver10/events/wsdl",
                "http://www.onvif.org/ver10/deviceIO/wsdl");
        assertThat(join(d.getProfiles())).hasSize(1);
        assertThat(camera.count("GetCapabilities")).isEqualTo(1);
    }

    @Test
    void twoRefusalsPauseAuthenticatedRequestsForTenMinutesOnTheSchedulerClock() throws Exception {
        camera.password("changed-at-the-camera");
        OnvifDevice d = device();
        assertThatThrownBy(() -> join(d.getDeviceInformation())).isInstanceOfSatisfying(OnvifException.class,
                e -> assertThat(e.isAuthenticationFailure()).isTrue());
        assertThat(camera.refusals()).isEqualTo(2);
        assertThat(d.lockedUntil()).isEqualTo(scheduler.now().plus(Duration.ofMinutes(10)));
        int before = camera.operations().size();
        assertThatThrownBy(() -> join(d.getDeviceInformation())).isInstanceOfSatisfying(OnvifException.class,
                e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.LOCKED_OUT));
        assertThat(camera.operations()).hasSize(before); // nothing was sent
        assertThat(camera.refusals()).isEqualTo(2);

        scheduler.advance(Duration.ofMinutes(9));
        assertThatThrownBy(() -> join(d.getRelayOutputs())).isInstanceOfSatisfying(OnvifException.class,
                e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.LOCKED_OUT));
        scheduler.advance(Duration.ofMinutes(1));
        camera.password(PASSWORD); // the operator fixed it
        assertThat(join(d.getRelayOutputs())).extracting(RelayOutput::token).containsExactly("AlarmOut_0", "AlarmOut_1");
        assertThat(d.lockedUntil()).isNull();
    }

    @Test
    void afterThePauseOneMoreRefusalPausesAgainAtOnce() throws Exception {
        camera.password("changed-at-the-camera");
        OnvifDevice d = device();
        assertThatThrownBy(() -> join(d.getDeviceInformation())).isInstanceOf(OnvifException.class);
        scheduler.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> join(d.getDeviceInformation())).isInstanceOf(OnvifException.class);
        assertThat(camera.refusals()).isEqualTo(3);
        assertThat(d.lockedUntil()).isNotNull();
    }

    @Test
    void missingLoginIsTypedAndNothingIsSent() {
        OnvifDevice d = client.device(OnvifDeviceConfig.of(camera.address(), "unknown"));
        assertThatThrownBy(() -> join(d.getDeviceInformation())).isInstanceOfSatisfying(OnvifException.class,
                e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.NO_CREDENTIALS));
        assertThat(camera.operations()).isEmpty();
    }

    @Test
    void anAnswerOverOneMebibyteIsATypedError() throws Exception {
        OnvifDevice d = device();
        join(d.getSystemDateAndTime());
        camera.oversize(OnvifClient.DEFAULT_MAX_RESPONSE_BYTES);
        assertThatThrownBy(() -> join(d.getDeviceInformation())).isInstanceOfSatisfying(OnvifException.class,
                e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.RESPONSE_TOO_LARGE));
        camera.oversize(0);
        assertThat(join(d.getDeviceInformation()).model()).isEqualTo("Mockup Model");
    }

    @Test
    void aFaultIsTypedWithItsSubcodes() throws Exception {
        OnvifDevice d = client.device(OnvifDeviceConfig.of(URI.create(camera.address().toString()), "cam1"));
        join(d.getSystemDateAndTime());
        // the device does not know this operation: env:Sender / ter:ActionNotSupported
        CompletableFuture<?> f = d.call(camera.address(), "<x:Nonsense xmlns:x=\"urn:x\"/>", null);
        assertThatThrownBy(() -> join(f)).isInstanceOfSatisfying(OnvifFault.class, e -> {
            assertThat(e.code()).isEqualTo("Sender");
            assertThat(e.subcodes()).containsExactly("ActionNotSupported");
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.isAuthenticationFailure()).isFalse();
        });
    }

    @Test
    void connectionsAreReusedPerDevice() throws Exception {
        OnvifDevice d = device();
        for (int i = 0; i < 4; i++) {
            join(d.getDeviceInformation());
        }
        assertThat(client.idleConnections()).isEqualTo(1);
        // a parallel burst opens more, but at most four stay idle
        List<CompletableFuture<DeviceInformation>> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            burst.add(d.getDeviceInformation());
        }
        for (CompletableFuture<DeviceInformation> f : burst) {
            assertThat(join(f).model()).isEqualTo("Mockup Model");
        }
        assertThat(client.idleConnections()).isBetween(1, 4);
    }

    @Test
    void unreachableDeviceIsAConnectError() {
        OnvifDevice d = client.device(OnvifDeviceConfig.of(URI.create("http://127.0.0.1:1/onvif/device_service"), "cam1"));
        assertThatThrownBy(() -> join(d.getSystemDateAndTime())).isInstanceOfSatisfying(OnvifException.class,
                e -> assertThat(e.kind()).isEqualTo(OnvifException.Kind.CONNECT));
    }

    @Test
    void deviceServiceOperations() throws Exception {
        OnvifDevice d = device();
        SystemDateAndTime t = join(d.getSystemDateAndTime());
        assertThat(t.utc()).isEqualTo(scheduler.now());
        assertThat(t.clockError(scheduler.now())).isEqualTo(Duration.ZERO);
        assertThat(join(d.getServices())).extracting(OnvifService::namespace).contains(
                "http://www.onvif.org/ver10/media/wsdl", "http://www.onvif.org/ver20/ptz/wsdl");
        assertThat(join(d.getCapabilities()).xaddr("Events")).isEqualTo(URI.create("http://192.168.68.111/onvif/services"));
        OnvifNetworkInterface nic = join(d.getNetworkInterfaces()).get(0);
        assertThat(nic.token()).isEqualTo("eth0");
        assertThat(nic.hwAddress()).isEqualTo("28:57:be:65:7d:d5");
        assertThat(nic.ipv4()).containsExactly("192.168.68.111/24");
        assertThat(join(d.getDigitalInputs())).extracting(DigitalInput::token).containsExactly("AlarmIn_1", "AlarmIn_2");
        join(d.setRelayOutputState("AlarmOut_0", true));
        assertThat(camera.count("SetRelayOutputState")).isEqualTo(1);
        camera.clockSkew(Duration.ofSeconds(4)); // within the window, but wrong by GA 1383's measure
        join(d.setSystemDateAndTime(scheduler.now()));
        assertThat(camera.deviceNow()).isEqualTo(scheduler.now());
        assertThat(d.clockOffset()).isEqualTo(Duration.ZERO);
        assertThat(join(d.systemReboot())).isEqualTo("Reboot in 30 secs");
    }

    @Test
    void media1ProfilesAndUrisWithPrivateHostsRewritten() throws Exception {
        OnvifDevice d = device();
        assertThat(join(d.mediaVersion())).isEqualTo(1);
        List<MediaProfile> profiles = join(d.getProfiles());
        assertThat(profiles).containsExactly(new MediaProfile("main", "main", "H264", 1920, 1080, "vidsrc0", "default", 1,
                "vscfg0"));
        MediaUri stream = join(d.getStreamUri("main"));
        assertThat(stream.reported()).isEqualTo(URI.create("rtsp://192.168.68.111/h264main"));
        assertThat(stream.uri()).isEqualTo(URI.create("rtsp://127.0.0.1/h264main"));
        // the recorded GetSnapshotUri has an unbound prefix: read leniently
        MediaUri snap = join(d.getSnapshotUri("main"));
        assertThat(snap.reported().getHost()).isEqualTo("192.168.68.111");
        assertThat(snap.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(snap.uri().getPort()).isEqualTo(camera.address().getPort());
        assertThat(snap.uri().getRawQuery()).isEqualTo("resolution=800x600&compression=20&camera=1");
        byte[] jpeg = join(d.fetchSnapshot("main"));
        assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8);
        // services were asked for once and their private addresses rewritten
        assertThat(camera.count("GetServices")).isEqualTo(1);
        assertThat(join(d.services()).get("http://www.onvif.org/ver10/media/wsdl"))
                .isEqualTo(URI.create("http://127.0.0.1:" + camera.address().getPort() + "/onvif/services"));
    }

    @Test
    void addressPolicies() {
        URI reached = URI.create("http://203.0.113.7:8080/onvif/device_service");
        URI rtsp = URI.create("rtsp://192.168.1.64:554/ch1?a=1&b=2");
        assertThat(AddressPolicy.REWRITE_PRIVATE.apply(rtsp, reached)).isEqualTo(URI.create("rtsp://203.0.113.7:554/ch1?a=1&b=2"));
        assertThat(AddressPolicy.REWRITE_PRIVATE.apply(URI.create("http://127.0.0.1/onvif/media"), reached))
                .isEqualTo(URI.create("http://203.0.113.7:8080/onvif/media"));
        assertThat(AddressPolicy.REWRITE_PRIVATE.apply(URI.create("http://100.64.1.1/x"), reached).getHost())
                .isEqualTo("203.0.113.7");
        assertThat(AddressPolicy.REWRITE_PRIVATE.apply(URI.create("rtsp://198.51.100.9/x"), reached).getHost())
                .isEqualTo("198.51.100.9");
        assertThat(AddressPolicy.REWRITE_PRIVATE.apply(URI.create("rtsp://camera.example/x"), reached).getHost())
                .isEqualTo("camera.example");
        assertThat(AddressPolicy.KEEP.apply(rtsp, reached)).isEqualTo(rtsp);
        assertThat(AddressPolicy.ALWAYS.apply(URI.create("rtsp://198.51.100.9/x"), reached).getHost())
                .isEqualTo("203.0.113.7");
        assertThat(AddressPolicy.isNonPublic("10.1.2.3")).isTrue();
        assertThat(AddressPolicy.isNonPublic("172.20.0.1")).isTrue();
        assertThat(AddressPolicy.isNonPublic("172.32.0.1")).isFalse();
        assertThat(AddressPolicy.isNonPublic("169.254.3.3")).isTrue();
        assertThat(AddressPolicy.isNonPublic("[fd00::1]")).isTrue();
    }

    @Test
    void media2IsChosenWhenOfferedAndShowsH265() throws Exception {
        camera.media2(true);
        OnvifDevice d = device();
        assertThat(join(d.mediaVersion())).isEqualTo(2);
        List<MediaProfile> profiles = join(d.getProfiles());
        assertThat(profiles).extracting(MediaProfile::encoding).containsExactly("H265", "H264");
        assertThat(profiles.get(0)).isEqualTo(new MediaProfile("Profile_1", "mainStream", "H265", 3840, 2160,
                "VideoSource_1", "PTZToken", 2, "VideoSourceToken"));
        MediaUri u = join(d.getStreamUri("Profile_1"));
        assertThat(u.reported()).isEqualTo(URI.create(
                "rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1"));
        assertThat(u.uri().getHost()).isEqualTo("127.0.0.1");
        assertThat(u.uri().getPort()).isEqualTo(554);
        assertThat(u.rewritten()).isTrue();
    }

    @Test
    void ptzOperations() throws Exception {
        OnvifDevice d = device();
        join(d.continuousMove("main", PtzVector.of(0.5, -0.2, 0.0), Duration.ofSeconds(2)));
        join(d.absoluteMove("main", PtzVector.of(0.1, 0.2, 0.3), null));
        join(d.relativeMove("main", PtzVector.panTilt(0.1, 0.0), PtzVector.panTilt(1, 1)));
        join(d.stop("main", true, true));
        List<PtzPreset> presets = join(d.getPresets("main"));
        assertThat(presets).containsExactly(new PtzPreset("PresetToken001", "Entrance", PtzVector.of(0.5, 0.25, 0.0)),
                new PtzPreset("PresetToken002", "Parking", new PtzVector(-0.3, -0.1, 0.5)));
        assertThat(join(d.setPreset("main", "Gate", null))).isNotEmpty();
        join(d.gotoPreset("main", "PresetToken001", null));
        join(d.removePreset("main", "PresetToken002"));
        join(d.setHomePosition("main"));
        join(d.gotoHomePosition("main", PtzVector.of(1, 1, 1)));
        assertThat(camera.operations()).contains("ContinuousMove", "AbsoluteMove", "RelativeMove", "Stop",
                "GetPresets", "SetPreset", "GotoPreset", "RemovePreset", "SetHomePosition", "GotoHomePosition");
        assertThat(camera.refusals()).isZero();
    }

    @Test
    void passwordNeverInAnExceptionMessage() throws Exception {
        camera.password("other");
        OnvifDevice d = device();
        Throwable t = null;
        try {
            join(d.getDeviceInformation());
        } catch (Exception e) {
            t = e;
        }
        assertThat(t).isNotNull();
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain("CANARY");
        }
    }
}
